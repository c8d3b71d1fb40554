import { withTimeout } from '@gmdesk/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';

const ROOT = resolve(__dirname, '../..');
const BOOT_TIMEOUT_MS = 60_000;

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stdout: () => string;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `npm start`'s entry point, from source, with a clean environment of our choosing. */
function spawnPlatform(env: Record<string, string>): {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
} {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/platform/src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'warn', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null) {
      resolveExit(child.exitCode);
      return;
    }
    child.once('exit', (code) => resolveExit(code));
  });
}

async function startPlatform(env: Record<string, string>): Promise<Running> {
  const { child, stdout, stderr } = spawnPlatform(env);
  const url = await withTimeout(
    new Promise<string>((resolveUrl, reject) => {
      const onData = (): void => {
        const match = /gmdesk is running on (http:\/\/\S+)/.exec(stdout());
        if (match?.[1]) {
          child.stdout?.off('data', onData);
          resolveUrl(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`platform exited with ${code}: ${stderr()}`)));
    }),
    BOOT_TIMEOUT_MS,
    'the platform to print its URL',
  );
  return { child, url, stdout };
}

async function stop(running: Running): Promise<number | null> {
  const exited = exitOf(running.child);
  running.child.kill('SIGTERM');
  return withTimeout(exited, 20_000, 'the platform to shut down after SIGTERM');
}

describe('platform boot (npm start)', () => {
  it('exits with one clear line and code 1 when the database cannot be reached', async () => {
    const port = await freePort();
    const { child, stderr } = spawnPlatform({
      DATABASE_URL: `postgres://gmdesk@127.0.0.1:${port}/gmdesk`,
    });
    const code = await withTimeout(exitOf(child), BOOT_TIMEOUT_MS, 'the platform to exit');
    expect(code).toBe(1);
    const lines = stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gmdesk platform: database: cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/gmdesk/,
    );
  });

  it('exits with code 1 and names every bad setting when the configuration is invalid', async () => {
    const { child, stderr } = spawnPlatform({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(await withTimeout(exitOf(child), BOOT_TIMEOUT_MS, 'the platform to exit')).toBe(1);
    expect(stderr()).toMatch(/configuration/);
    expect(stderr()).toMatch(/PORT/);
    expect(stderr()).toMatch(/LOG_LEVEL/);
  });

  describe('on embedded PostgreSQL with an empty data folder', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'gmdesk-boot-'));
      await chmod(dataDir, 0o755);
    });

    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    it('serves docs and readiness, prints first-run credentials once, and keeps data across restarts', async () => {
      const env = { DATA_DIR: dataDir, PORT: '0', EMBEDDED_PG_PORT: String(await freePort()) };

      const first = await startPlatform(env);
      await request(first.url).get('/health/ready').expect(200);
      await request(first.url).get('/docs').expect(200);
      const password = /Staff console login\s+admin \/ (\S+)/.exec(first.stdout())?.[1];
      expect(password).toBeDefined();
      expect(first.stdout()).toMatch(/Game-server API key\s+gmd_[0-9a-f]{16}_\S{43}/);
      await request(first.url)
        .post('/auth/login')
        .send({ username: 'admin', password })
        .expect(200);
      expect(await stop(first)).toBe(0);
      // PostgreSQL was stopped by the shutdown sequence, not left running or killed mid-write.
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      const second = await startPlatform(env);
      expect(second.stdout()).not.toMatch(/Staff console login/);
      expect(second.stdout()).not.toContain(password);
      await request(second.url)
        .post('/auth/login')
        .send({ username: 'admin', password })
        .expect(200);
      expect(await stop(second)).toBe(0);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    });
  });
});
