import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a player is online (from `player.session`), so replies can be relayed by their game server. */
export class AddPlayerOnlineServer1764030000000 implements MigrationInterface {
  name = 'AddPlayerOnlineServer1764030000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE players ADD COLUMN online_server_id uuid REFERENCES game_servers(id)`,
    );
    await db.query(`ALTER TABLE players ADD COLUMN online_since timestamptz(3)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE players DROP COLUMN online_since`);
    await db.query(`ALTER TABLE players DROP COLUMN online_server_id`);
  }
}
