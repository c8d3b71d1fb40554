import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface ResolvedDatabase {
  readonly url: string;
  readonly embedded: boolean;
  /** Stops the embedded cluster (a no-op for an external DATABASE_URL). */
  stop(): Promise<void>;
}

export interface ResolveDatabaseOptions {
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly embeddedPort: number;
  readonly log: (message: string) => void;
}

/**
 * The one place that decides where PostgreSQL comes from: DATABASE_URL when set, otherwise an
 * embedded cluster in `<dataDir>/postgres`.
 */
export async function resolveDatabase(options: ResolveDatabaseOptions): Promise<ResolvedDatabase> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  }
  const directory = join(options.dataDir, 'postgres');
  options.log(
    `DATABASE_URL is not set: using embedded PostgreSQL in ${directory} on 127.0.0.1:${options.embeddedPort}`,
  );
  const running = await startEmbeddedPostgres({
    directory,
    port: options.embeddedPort,
    database: 'gmdesk',
    onNotice: options.log,
  });
  return { url: running.url, embedded: true, stop: () => running.stop() };
}
