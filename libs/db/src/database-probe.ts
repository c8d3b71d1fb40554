import { Client } from 'pg';
import { describeDatabaseUrl } from './database-url';

export class DatabaseUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(`cannot reach PostgreSQL at ${describeDatabaseUrl(url)}: ${reason}`);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Connects once with a short timeout. Boot calls this before Nest starts, so an unreachable
 * database is one clear line instead of TypeORM's retry loop of stack traces.
 */
export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnreachableError(url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
