import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account's age as the game knows it (`accountCreatedAt` from the game server), so that
 * brigading's "new account" does not mean "new to gmdesk". Null: not given; first-seen applies.
 */
export class AddPlayerAccountCreatedAt1764070000000 implements MigrationInterface {
  name = 'AddPlayerAccountCreatedAt1764070000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE players ADD COLUMN account_created_at timestamptz(3)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE players DROP COLUMN account_created_at`);
  }
}
