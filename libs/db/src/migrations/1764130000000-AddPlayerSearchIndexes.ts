import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /players?q=` (staff player search) matches account ids and display names by prefix. The
 * unique (realm_id, account_id) index uses the database collation, which LIKE cannot use for a
 * prefix; text_pattern_ops indexes can, so a search costs an index range scan per realm, not a
 * scan of every player.
 */
export class AddPlayerSearchIndexes1764130000000 implements MigrationInterface {
  name = 'AddPlayerSearchIndexes1764130000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX players_account_prefix_idx ON players (realm_id, account_id text_pattern_ops)`,
    );
    await db.query(
      `CREATE INDEX players_name_prefix_idx ON players (realm_id, lower(display_name) text_pattern_ops)
        WHERE display_name IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS players_name_prefix_idx`);
    await db.query(`DROP INDEX IF EXISTS players_account_prefix_idx`);
  }
}
