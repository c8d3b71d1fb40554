import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every common Linux). */
const TICKS_PER_SECOND = ((): number => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime of all the process's threads, in ms. */
  readonly cpuMs: number;
  /** stime alone (the kernel's work for the process: syscalls, and on loopback both ends of TCP). */
  readonly systemMs: number;
}

/** Fields of /proc/<pid>/stat after the `(comm)`, which may itself contain spaces or ')'. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(ppid) || !Number.isFinite(utime) || !Number.isFinite(stime)) {
    return undefined;
  }
  return {
    pid,
    ppid,
    cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND,
    systemMs: (stime * 1000) / TICKS_PER_SECOND,
  };
}

export function procCpuAvailable(): boolean {
  return readStat(process.pid) !== undefined;
}

/** CPU time (ms) one process has used so far, in total and in the kernel; undefined once gone. */
export function processCpu(pid: number): { totalMs: number; systemMs: number } | undefined {
  const stat = readStat(pid);
  return stat && { totalMs: stat.cpuMs, systemMs: stat.systemMs };
}

/** The parent of a process (for a PostgreSQL backend: the postmaster). */
export function parentPid(pid: number): number | undefined {
  return readStat(pid)?.ppid;
}

/**
 * The postmaster of the backend with this pid (`pg_backend_pid()`), when /proc shows it as a
 * `postgres` process here: a server in a container or on another host has pids of its own.
 */
export function postmasterOf(backendPid: number): number | undefined {
  const isPostgres = (pid: number): boolean => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  };
  const parent = parentPid(backendPid);
  return parent !== undefined && isPostgres(backendPid) && isPostgres(parent) ? parent : undefined;
}

/** pid → CPU ms of the postmaster and all its children (backends and background workers). */
export type ClusterCpu = ReadonlyMap<number, number>;

export function clusterCpu(postmasterPid: number): ClusterCpu {
  const cpu = new Map<number, number>();
  const postmaster = readStat(postmasterPid);
  if (!postmaster) {
    return cpu;
  }
  cpu.set(postmasterPid, postmaster.cpuMs);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmasterPid) {
      continue;
    }
    const stat = readStat(pid);
    if (stat?.ppid === postmasterPid) {
      cpu.set(pid, stat.cpuMs);
    }
  }
  return cpu;
}

/**
 * CPU the cluster spent between two readings. A process that appeared in between counts from
 * zero; one that exited in between is lost (the pools keep their backends open during a run, so
 * that is at most a short-lived autovacuum worker).
 */
export function clusterCpuDelta(before: ClusterCpu, after: ClusterCpu): number {
  let total = 0;
  for (const [pid, ms] of after) {
    total += ms - (before.get(pid) ?? 0);
  }
  return total;
}
