import { DataSource, DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = MixedList<Function | string | EntitySchema>;

export interface DataSourceSettings {
  readonly url: string;
  readonly entities: EntityList;
  /** Connection pool size per process. */
  readonly poolSize?: number;
  /** How long a query waits for a free pool connection before it fails. */
  readonly acquireTimeoutMs?: number;
  readonly applicationName?: string;
}

/** The only DataSource definition: every process and the test harness build theirs here. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: ['error'],
    extra: {
      max: settings.poolSize ?? 10,
      application_name: settings.applicationName ?? 'gmdesk',
      // pg-pool applies this to waiting for a free connection as well as to opening one.
      connectionTimeoutMillis: settings.acquireTimeoutMs ?? 5000,
    },
  };
}

/** Applies every pending migration, each in its own transaction, then disconnects. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions({ url, entities: [], poolSize: 1 }));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
