import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient, QueryResultRow } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntityManager } from 'typeorm';
import { isInsideTransaction, PoolQueryInTransactionError } from './transaction';

/**
 * A SQL statement of a hot path, prepared once per connection under its name: PostgreSQL parses
 * and plans it the first time, later executions only bind and run. Declare each one once, at
 * module level, next to the repository that runs it (the name must be unique in the process).
 */
export interface SqlStatement<Row extends QueryResultRow = QueryResultRow> {
  readonly name: string;
  readonly text: string;
  /** Phantom: the row type the statement returns. */
  readonly row?: Row;
}

const declared = new Map<string, string>();

export function sql<Row extends QueryResultRow = QueryResultRow>(
  name: string,
  text: string,
): SqlStatement<Row> {
  const existing = declared.get(name);
  if (existing !== undefined && existing !== text) {
    throw new Error(`two SQL statements are named ${name}`);
  }
  declared.set(name, text);
  return { name, text };
}

interface ConnectedQueryRunner {
  connect(): Promise<PoolClient>;
}

interface PooledDriver {
  obtainMasterConnection(): Promise<[PoolClient, (error?: unknown) => void]>;
}

/**
 * Runs prepared statements with node-postgres directly, without TypeORM's query building and
 * hydration: for the hot paths (report intake, replies, the queue, the ticket view), where that
 * layer cost more CPU than the database did. Repositories use it; services never see it. The
 * transaction rule holds here too: `query` reads through the pool and is refused inside a
 * transaction; `queryIn` runs on the transaction's own connection.
 */
@Injectable()
export class SqlRunner {
  constructor(private readonly dataSource: DataSource) {}

  /** On a pooled connection, outside any transaction. */
  async query<Row extends QueryResultRow>(
    statement: SqlStatement<Row>,
    values: readonly unknown[],
  ): Promise<Row[]> {
    if (isInsideTransaction()) {
      throw new PoolQueryInTransactionError();
    }
    const driver = this.dataSource.driver as unknown as PooledDriver;
    const [client, release] = await driver.obtainMasterConnection();
    try {
      const result = await client.query<Row>({
        name: statement.name,
        text: statement.text,
        values: values as unknown[],
      });
      release();
      return result.rows;
    } catch (error) {
      // A broken connection is discarded, not handed to the next caller.
      release(isConnectionError(error) ? error : undefined);
      throw error;
    }
  }

  /** On the connection of the transaction `manager` belongs to. */
  async queryIn<Row extends QueryResultRow>(
    manager: EntityManager,
    statement: SqlStatement<Row>,
    values: readonly unknown[],
  ): Promise<Row[]> {
    const runner = manager.queryRunner as unknown as ConnectedQueryRunner | undefined;
    if (!runner) {
      throw new Error('queryIn needs the EntityManager of a transaction');
    }
    const client = await runner.connect();
    const result = await client.query<Row>({
      name: statement.name,
      text: statement.text,
      values: values as unknown[],
    });
    return result.rows;
  }

  /**
   * `COPY … FROM STDIN` on the connection of the transaction `manager` belongs to: the bulk path
   * (chat lines), several times faster than multi-row INSERTs. `data` is the COPY text already
   * formatted (see `copyText`); it is written in chunks so a large batch is not one huge write.
   * Rolled back with its transaction like any statement.
   */
  async copyIn(
    manager: EntityManager,
    copyStatement: string,
    data: readonly string[],
  ): Promise<number> {
    const runner = manager.queryRunner as unknown as ConnectedQueryRunner | undefined;
    if (!runner) {
      throw new Error('copyIn needs the EntityManager of a transaction');
    }
    const client = await runner.connect();
    const stream = client.query(copyFrom(copyStatement));
    await pipeline(Readable.from(data), stream);
    return Number(stream.rowCount ?? 0);
  }
}

/**
 * One field of COPY's text format: `\N` for null, and backslash, tab, newline and carriage return
 * escaped. NUL cannot be stored in a PostgreSQL text value at all: callers refuse it before.
 */
export function copyText(value: string | null): string {
  if (value === null) {
    return '\\N';
  }
  return value.replace(/[\\\t\n\r]/g, (character) => COPY_ESCAPES[character] ?? character);
}

const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== 'string' || /^(08|57P)/.test(code) || code.startsWith('E');
}

/**
 * A select list naming each column as the entity property it fills (`t.realm_id AS "realmId"`),
 * so that rows come back in the entity's shape without a mapper. `from` is the table alias.
 */
export function selectList(properties: Readonly<Record<string, string>>, from?: string): string {
  const prefix = from ? `${from}.` : '';
  return Object.entries(properties)
    .map(([property, column]) => `${prefix}${column} AS "${property}"`)
    .join(', ');
}
