import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per game server that received the realm's active sanctions on its first connection.
 * Inserting it is what makes that bootstrap happen once per server, even when the same key
 * connects twice at once. Servers registered before this migration have no row: their next
 * connection catches up on whatever active sanction they never got (none are sent twice).
 */
export class CreateSanctionServerSyncs1764060002000 implements MigrationInterface {
  name = 'CreateSanctionServerSyncs1764060002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sanction_server_syncs (
        server_id uuid PRIMARY KEY REFERENCES game_servers(id),
        synced_at timestamptz(3) NOT NULL DEFAULT now(),
        sanctions_sent integer NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS sanction_server_syncs`);
  }
}
