import { MigrationInterface, QueryRunner } from 'typeorm';

/** Why staff lifted a sanction (required on revoke from now on; older revocations have none). */
export class AddSanctionRevokeReason1764060000000 implements MigrationInterface {
  name = 'AddSanctionRevokeReason1764060000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sanctions ADD COLUMN revoke_reason text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sanctions DROP COLUMN revoke_reason`);
  }
}
