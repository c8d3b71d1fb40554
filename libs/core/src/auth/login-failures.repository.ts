import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { LoginFailureState } from './login-backoff';

interface LoginFailureRow {
  failures: number;
  last_failure_at: Date;
  blocked_until: Date | null;
}

const toState = (row: LoginFailureRow): LoginFailureState => ({
  failures: row.failures,
  lastFailureAt: row.last_failure_at,
  blockedUntil: row.blocked_until,
});

/** Failed logins per lower-cased username (table `login_failures`). */
@Injectable()
export class LoginFailuresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(usernameKey: string): Promise<LoginFailureState | null> {
    const rows: LoginFailureRow[] = await this.dataSource.query(
      `SELECT failures, last_failure_at, blocked_until FROM login_failures WHERE username_key = $1`,
      [usernameKey],
    );
    return rows[0] ? toState(rows[0]) : null;
  }

  /**
   * The username's row, locked until the transaction ends, so that concurrent failures count one
   * after another; null when it had none (the row then exists, empty, and is locked).
   */
  async lock(usernameKey: string, manager: EntityManager): Promise<LoginFailureState | null> {
    await manager.query(
      `INSERT INTO login_failures (username_key, failures, last_failure_at) VALUES ($1, 0, now())
       ON CONFLICT (username_key) DO NOTHING`,
      [usernameKey],
    );
    const rows: LoginFailureRow[] = await manager.query(
      `SELECT failures, last_failure_at, blocked_until FROM login_failures
        WHERE username_key = $1 FOR UPDATE`,
      [usernameKey],
    );
    const row = rows[0];
    return row && row.failures > 0 ? toState(row) : null;
  }

  async save(usernameKey: string, state: LoginFailureState, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE login_failures SET failures = $2, last_failure_at = $3, blocked_until = $4
        WHERE username_key = $1`,
      [usernameKey, state.failures, state.lastFailureAt, state.blockedUntil],
    );
  }

  /** A bounded clean-up of rows nobody failed on for a while (usernames that do not exist, mostly). */
  async pruneOlderThan(before: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `DELETE FROM login_failures WHERE username_key IN (
         SELECT username_key FROM login_failures WHERE last_failure_at < $1
          ORDER BY last_failure_at LIMIT 100 FOR UPDATE SKIP LOCKED)`,
      [before],
    );
  }

  /** After a successful login: the failures are forgotten. */
  async clear(usernameKey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_failures WHERE username_key = $1`, [
      usernameKey,
    ]);
  }
}
