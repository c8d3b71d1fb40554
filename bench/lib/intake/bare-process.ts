import { join } from 'node:path';
import type { BareQueries } from './bare-queries';
import { BenchChild, waitForHttp } from './child-process';
import { freePort, REPO_ROOT } from './gmdesk-process';

export interface BareProcess {
  readonly child: BenchChild;
  readonly url: string;
  readonly pid: number;
}

/** bench/intake-bare-server.ts in its own process (see that file for its routes). */
export async function startBareProcess(options: {
  databaseUrl: string;
  poolSize: number;
  queries: BareQueries;
}): Promise<BareProcess> {
  const port = await freePort();
  const child = BenchChild.spawn(
    'bare server',
    process.execPath,
    ['-r', '@swc-node/register', join(REPO_ROOT, 'bench', 'intake-bare-server.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TZ: 'UTC',
        NODE_ENV: 'production',
        BARE_DATABASE_URL: options.databaseUrl,
        BARE_POOL_SIZE: String(options.poolSize),
        BARE_PORT: String(port),
        BARE_QUERIES: JSON.stringify(options.queries),
      },
      ipc: true,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(child, `${url}/health`, 60_000);
  } catch (error) {
    await child.stop(5_000);
    throw error;
  }
  return { child, url, pid: child.pid };
}
