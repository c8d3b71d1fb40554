import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProcessFacts, recoverStaleCluster } from './stale-cluster';

/** A live process of our own that stands in for whatever postmaster.pid names. */
async function stranger(options: { ignoreSigint?: boolean } = {}): Promise<ChildProcess> {
  const script = `${options.ignoreSigint ? "process.on('SIGINT', () => {});" : ''}
    setInterval(() => {}, 1 << 30); process.stdout.write('ready');`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  return child;
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.signalCode);
  }
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
}

describe('recoverStaleCluster', () => {
  let directory: string;
  const children: ChildProcess[] = [];
  const lockFile = () => join(directory, 'postmaster.pid');
  const lock = (pid: number) =>
    writeFile(lockFile(), `${pid}\n${directory}\n1764095000\n5432\n/tmp\n127.0.0.1\n0 0\nready\n`);
  const postmasterOfThisFolder = (parentPid: number) => (): Promise<ProcessFacts> =>
    Promise.resolve({
      argv: ['/opt/embedded/bin/postgres', '-D', directory, '-p', '5432'],
      parentPid,
      zombie: false,
    });
  const logged: string[] = [];
  const log = (message: string) => void logged.push(message);

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'gmdesk-stale-'));
    logged.length = 0;
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
    }
    await rm(directory, { recursive: true, force: true });
  });

  it('does nothing without a lock file', async () => {
    expect(await recoverStaleCluster(directory, { log })).toBe('none');
  });

  it('leaves a lock whose process is gone to PostgreSQL, which clears such a lock itself', async () => {
    const gone = await stranger();
    const dead = exited(gone);
    gone.kill('SIGKILL');
    await dead;
    await lock(gone.pid ?? 0);

    expect(await recoverStaleCluster(directory, { log })).toBe('none');
    expect(existsSync(lockFile())).toBe(true);
  });

  it('removes a lock naming a live process that is not a postgres of this folder, and leaves the process alone', async () => {
    const unrelated = await stranger();
    children.push(unrelated);
    await lock(unrelated.pid ?? 0);

    expect(await recoverStaleCluster(directory, { log })).toBe('removed-stale-lock');
    expect(existsSync(lockFile())).toBe(false);
    expect(unrelated.exitCode).toBeNull();
    expect(unrelated.signalCode).toBeNull();
    expect(logged.join('\n')).toMatch(/not this cluster.s PostgreSQL/);
  });

  it('refuses, and signals nothing, when the postmaster of this folder still has its node parent', async () => {
    const postmaster = await stranger();
    children.push(postmaster);
    await lock(postmaster.pid ?? 0);

    await expect(
      recoverStaleCluster(directory, {
        log,
        // Its parent is this (node) test process: a live gmdesk owns that cluster.
        inspect: async (pid) =>
          pid === postmaster.pid
            ? postmasterOfThisFolder(process.pid)()
            : { argv: [process.execPath], parentPid: 1, zombie: false },
      }),
    ).rejects.toThrow(/another gmdesk using this DATA_DIR/);
    expect(postmaster.signalCode).toBeNull();
    expect(existsSync(lockFile())).toBe(true);
  });

  it('stops the orphaned postmaster of this folder with a fast shutdown (SIGINT)', async () => {
    const orphan = await stranger();
    children.push(orphan);
    await lock(orphan.pid ?? 0);
    const signal = exited(orphan);

    expect(await recoverStaleCluster(directory, { log, inspect: postmasterOfThisFolder(1) })).toBe(
      'stopped-orphan',
    );
    expect(await signal).toBe('SIGINT');
  });

  it('falls back to an immediate shutdown (SIGQUIT) when the orphan does not stop in time', async () => {
    const stubborn = await stranger({ ignoreSigint: true });
    children.push(stubborn);
    await lock(stubborn.pid ?? 0);
    const signal = exited(stubborn);

    expect(
      await recoverStaleCluster(directory, {
        log,
        inspect: postmasterOfThisFolder(1),
        stopTimeoutMs: 100,
      }),
    ).toBe('stopped-orphan');
    expect(await signal).toBe('SIGQUIT');
    expect(logged.join('\n')).toMatch(/immediate shutdown/);
  });
});
