import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface FdLimit {
  readonly soft: number;
  readonly hard: number;
}

/** The open-files limit of this process (Linux /proc), or undefined where it cannot be read. */
export function readFdLimit(): FdLimit | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const match = line ? /Max open files\s+(\S+)\s+(\S+)/.exec(line) : null;
    if (!match) {
      return undefined;
    }
    const parse = (value: string | undefined): number =>
      value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value);
    return { soft: parse(match[1]), hard: parse(match[2]) };
  } catch {
    return undefined;
  }
}

const RAISED_ENV = 'BENCH_FD_RAISED';

/**
 * Makes sure this process may open `needed` files. Node cannot call setrlimit, so when the soft
 * limit is too low but the hard limit allows it, the bench re-runs itself under
 * `sh -c 'ulimit -n <needed>'` and exits with the child's status. Returns a message when even the
 * hard limit is too low (the caller stops with it), undefined when all is well.
 */
export function ensureFdLimit(needed: number): string | undefined {
  const limit = readFdLimit();
  if (!limit || limit.soft >= needed) {
    return undefined;
  }
  if (limit.hard >= needed && process.env[RAISED_ENV] !== '1') {
    process.stdout.write(
      `open-files limit ${limit.soft} < ${needed} needed: re-running under \`ulimit -n ${needed}\`\n`,
    );
    const result = spawnSync(
      '/bin/sh',
      [
        '-c',
        `ulimit -n ${needed} && exec "$0" "$@"`,
        process.execPath,
        ...process.execArgv,
        ...process.argv.slice(1),
      ],
      { stdio: 'inherit', env: { ...process.env, [RAISED_ENV]: '1' } },
    );
    process.exit(result.status ?? 1);
  }
  return (
    `The open-files limit is ${limit.soft} (hard ${limit.hard}) but this run needs about ${needed} ` +
    `(client and server sockets live in one process for the latency figures, 10,000 clients in one ` +
    `process for the memory figure). Raise it (e.g. \`ulimit -n ${needed}\` as root, or ` +
    `LimitNOFILE / nofile in limits.conf), or run BENCH_QUICK=1 for smaller sizes.`
  );
}
