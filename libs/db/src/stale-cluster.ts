import { execFile } from 'node:child_process';
import { readFile, readlink, realpath, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

/** What we can learn about a live process without trusting its name alone. */
export interface ProcessFacts {
  readonly argv: readonly string[];
  readonly parentPid: number;
  /** The executable (Linux /proc), when readable. */
  readonly executable?: string;
  /** Its working directory (Linux /proc), when readable; a postmaster's is its data directory. */
  readonly cwd?: string;
  readonly zombie: boolean;
}

export interface StaleClusterOptions {
  readonly log: (message: string) => void;
  /** How long the left-over postmaster gets for a fast shutdown before an immediate one. */
  readonly stopTimeoutMs?: number;
  /** For tests: how to inspect a process (defaults to /proc, else `ps`). */
  readonly inspect?: (pid: number) => Promise<ProcessFacts | undefined>;
}

export type StaleClusterOutcome =
  /** No lock file, or one whose process is gone: PostgreSQL clears such a lock itself. */
  | 'none'
  /** The lock named a live process that is not this cluster's postmaster (a reused pid). */
  | 'removed-stale-lock'
  /** This cluster's postmaster, orphaned by a run that died: stopped. */
  | 'stopped-orphan';

const POSTMASTER_NAMES = new Set(['postgres', 'postmaster']);

/**
 * Before starting the embedded cluster: deal with what a run that died without stopping it (SIGKILL,
 * OOM killer, power loss of the terminal) left behind, so that the next start recovers by itself.
 *
 * Safety first, because the wrong call here kills someone else's process or corrupts a cluster:
 * - only `<directory>/postmaster.pid` is read: nothing else on the machine is looked at;
 * - a live pid is signalled only when it *is* a postgres postmaster *for this directory* (its
 *   executable is `postgres` and its working directory or `-D` is this folder) and nobody owns it
 *   any more (its parent is not a node process: a live gmdesk using the same DATA_DIR is refused
 *   with a message, never stopped);
 * - a lock naming a live process that is not this cluster's postmaster (the pid was reused after a
 *   reboot or in a container) is stale: the file is removed and that process is left alone.
 *   PostgreSQL itself would refuse to start beside it while the process lives.
 */
export async function recoverStaleCluster(
  directory: string,
  options: StaleClusterOptions,
): Promise<StaleClusterOutcome> {
  if (process.platform === 'win32') {
    return 'none';
  }
  const lockFile = join(directory, 'postmaster.pid');
  const pid = await readLockPid(lockFile);
  if (pid === undefined || !isAlive(pid)) {
    return 'none';
  }
  const inspect = options.inspect ?? inspectProcess;
  const facts = await inspect(pid);
  if (!facts || facts.zombie) {
    return 'none';
  }
  if (!(await isPostmasterOf(facts, directory))) {
    options.log(
      `${lockFile} names process ${pid} (${facts.argv.join(' ').slice(0, 80)}), which is not this ` +
        'cluster’s PostgreSQL: removing the stale lock file and leaving that process alone',
    );
    await unlink(lockFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') {
        throw error;
      }
    });
    return 'removed-stale-lock';
  }
  const parent = facts.parentPid > 1 ? await inspect(facts.parentPid) : undefined;
  if (parent && !parent.zombie && isNode(parent)) {
    throw new Error(
      `the embedded PostgreSQL in ${directory} (pid ${pid}) belongs to the running process ` +
        `${facts.parentPid} (${parent.argv.join(' ').slice(0, 80)}): is another gmdesk using this ` +
        'DATA_DIR? Stop it first, or give this one another DATA_DIR',
    );
  }
  options.log(
    `stopping the embedded PostgreSQL (pid ${pid}) that a previous run left running in ${directory}`,
  );
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit cleanly.
  if (!(await signalAndWait(pid, 'SIGINT', options.stopTimeoutMs ?? 30_000, inspect))) {
    // SIGQUIT is the "immediate" shutdown: crash recovery replays the WAL at the next start.
    options.log(`PostgreSQL (pid ${pid}) did not stop in time: immediate shutdown`);
    if (!(await signalAndWait(pid, 'SIGQUIT', 10_000, inspect))) {
      throw new Error(`could not stop the PostgreSQL (pid ${pid}) left running in ${directory}`);
    }
  }
  return 'stopped-orphan';
}

async function readLockPid(lockFile: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  const pid = Number(text.split('\n', 1)[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else (we are not root): still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process is still there and not merely waiting to be reaped by its parent. */
async function isRunning(
  pid: number,
  inspect: (pid: number) => Promise<ProcessFacts | undefined>,
): Promise<boolean> {
  if (!isAlive(pid)) {
    return false;
  }
  const facts = await inspect(pid);
  return facts !== undefined && !facts.zombie;
}

/** Sends the signal, then resolves true once the process is gone, false at the deadline. */
async function signalAndWait(
  pid: number,
  signal: NodeJS.Signals,
  timeoutMs: number,
  inspect: (pid: number) => Promise<ProcessFacts | undefined>,
): Promise<boolean> {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      return true;
    }
    throw error;
  }
  // Not our child, so there is no exit event to await: look until it is gone.
  const deadline = Date.now() + timeoutMs;
  while (await isRunning(pid, inspect)) {
    if (Date.now() >= deadline) {
      return false;
    }
    await delay(50);
  }
  return true;
}

async function isPostmasterOf(facts: ProcessFacts, directory: string): Promise<boolean> {
  const program = basename(facts.executable ?? facts.argv[0] ?? '');
  if (!POSTMASTER_NAMES.has(program)) {
    return false;
  }
  const target = await canonical(directory);
  if (facts.cwd !== undefined && (await canonical(facts.cwd)) === target) {
    return true;
  }
  const dataDirFlag = facts.argv.indexOf('-D');
  const dataDir = dataDirFlag >= 0 ? facts.argv[dataDirFlag + 1] : undefined;
  return dataDir !== undefined && (await canonical(dataDir)) === target;
}

function isNode(facts: ProcessFacts): boolean {
  const program = basename(facts.executable ?? facts.argv[0] ?? '');
  return /^node(js)?(\d+)?(\.exe)?$/.test(program) || program === basename(process.execPath);
}

function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

const execFileAsync = promisify(execFile);

/** /proc on Linux; `ps` elsewhere (macOS): argv, parent and, where readable, executable and cwd. */
export async function inspectProcess(pid: number): Promise<ProcessFacts | undefined> {
  if (process.platform === 'linux') {
    try {
      const [cmdline, stat] = await Promise.all([
        readFile(`/proc/${pid}/cmdline`, 'utf8'),
        readFile(`/proc/${pid}/stat`, 'utf8'),
      ]);
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
      const [state, parentPid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const optional = (path: string) => readlink(path).catch(() => undefined);
      return {
        argv: cmdline.split('\0').filter((part) => part.length > 0),
        parentPid: Number(parentPid),
        executable: await optional(`/proc/${pid}/exe`),
        cwd: await optional(`/proc/${pid}/cwd`),
        zombie: state === 'Z',
      };
    } catch {
      return undefined;
    }
  }
  try {
    const { stdout } = await execFileAsync('ps', ['-o', 'ppid=,stat=,command=', '-p', String(pid)]);
    const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(stdout.trim());
    if (!match) {
      return undefined;
    }
    return {
      argv: (match[3] ?? '').split(/\s+/),
      parentPid: Number(match[1]),
      zombie: (match[2] ?? '').startsWith('Z'),
    };
  } catch {
    return undefined;
  }
}
