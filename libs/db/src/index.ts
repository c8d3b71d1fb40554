export { dataSourceOptions, runMigrations } from './data-source';
export type { DataSourceSettings, EntityList } from './data-source';
export { DatabaseUnreachableError, assertDatabaseReachable } from './database-probe';
export { describeDatabaseUrl, withDatabaseName } from './database-url';
export { DbModule } from './db.module';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgresOptions, RunningEmbeddedPostgres } from './embedded-postgres';
export { MIGRATIONS } from './migrations';
export { SnakeNamingStrategy } from './naming-strategy';
export { prepareDatabase } from './prepare-database';
export { isUniqueViolation, whereInRealms } from './query-helpers';
export type { RealmFilter } from './query-helpers';
export { resolveDatabase } from './resolve-database';
export type { ResolvedDatabase } from './resolve-database';
export { SqlRunner, copyText, selectList, sql } from './sql';
export type { SqlStatement } from './sql';
export {
  PoolQueryInTransactionError,
  TransactionRunner,
  isInsideTransaction,
  runAfterCommit,
} from './transaction';
