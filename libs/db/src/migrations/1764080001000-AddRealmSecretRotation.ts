import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rotating a realm's player-token secret with an overlap: the secret it replaced keeps verifying
 * tokens until `previous_player_token_secret_valid_until`, so the game backend can switch without
 * logging every player out. At most two secrets at a time.
 */
export class AddRealmSecretRotation1764080001000 implements MigrationInterface {
  name = 'AddRealmSecretRotation1764080001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE realms
        ADD COLUMN previous_player_token_secret text,
        ADD COLUMN previous_player_token_secret_valid_until timestamptz(3),
        ADD COLUMN player_token_secret_rotated_at timestamptz(3),
        ADD CONSTRAINT realms_previous_secret_check CHECK (
          (previous_player_token_secret IS NULL) = (previous_player_token_secret_valid_until IS NULL)
        )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE realms
        DROP CONSTRAINT realms_previous_secret_check,
        DROP COLUMN previous_player_token_secret,
        DROP COLUMN previous_player_token_secret_valid_until,
        DROP COLUMN player_token_secret_rotated_at`);
  }
}
