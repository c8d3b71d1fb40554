import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sanctions, and one acknowledgement row per game server of the realm and action: each server
 * must confirm it enforced (or lifted) a sanction; unconfirmed ones are sent again.
 */
export class CreateSanctions1764040000000 implements MigrationInterface {
  name = 'CreateSanctions1764040000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sanctions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm_id text NOT NULL REFERENCES realms(id),
        player_id uuid NOT NULL REFERENCES players(id),
        type text NOT NULL CHECK (type IN ('warn', 'mute', 'kick', 'suspend', 'ban')),
        public_reason text NOT NULL,
        private_reason text,
        starts_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3),
        issued_by uuid NOT NULL REFERENCES staff(id),
        ticket_id uuid REFERENCES tickets(id),
        revoked_at timestamptz(3),
        revoked_by uuid REFERENCES staff(id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (expires_at IS NULL OR expires_at > starts_at)
      )`);
    await db.query(`CREATE INDEX sanctions_player_idx ON sanctions (player_id, created_at)`);
    await db.query(`
      CREATE TABLE sanction_acks (
        sanction_id uuid NOT NULL REFERENCES sanctions(id),
        server_id uuid NOT NULL REFERENCES game_servers(id),
        action text NOT NULL CHECK (action IN ('issued', 'revoked')),
        stream_seq bigint NOT NULL,
        acked_at timestamptz(3),
        PRIMARY KEY (sanction_id, server_id, action)
      )`);
    await db.query(
      `CREATE INDEX sanction_acks_pending_idx ON sanction_acks (server_id) WHERE acked_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS sanction_acks`);
    await db.query(`DROP TABLE IF EXISTS sanctions`);
  }
}
