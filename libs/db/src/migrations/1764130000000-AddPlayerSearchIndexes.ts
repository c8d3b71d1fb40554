import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /players?q=` (staff player search) matches account ids and display names by prefix. The
 * unique (realm_id, account_id) index uses the database collation, which LIKE cannot use for a
 * prefix; text_pattern_ops indexes can. Not led by realm_id: a search across all of a staff
 * member's realms (no realm named) then still reads one index range, and the realm check is a
 * filter on the few rows in it. The name index is not partial, so PostgreSQL keeps statistics on
 * lower(display_name) and estimates a prefix's rows well (with defaults it walked every player).
 */
export class AddPlayerSearchIndexes1764130000000 implements MigrationInterface {
  name = 'AddPlayerSearchIndexes1764130000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX players_account_prefix_idx ON players (account_id text_pattern_ops)`,
    );
    await db.query(
      `CREATE INDEX players_name_prefix_idx ON players (lower(display_name) text_pattern_ops)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS players_name_prefix_idx`);
    await db.query(`DROP INDEX IF EXISTS players_account_prefix_idx`);
  }
}
