import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset listings: staff search a realm's sanctions newest first (`GET /sanctions`), game servers
 * page through a realm's unrevoked ones oldest first (`GET /realms/:realmId/sanctions/active`;
 * expiry depends on the clock, so it is filtered, not indexed).
 */
export class AddSanctionLookupIndexes1764060003000 implements MigrationInterface {
  name = 'AddSanctionLookupIndexes1764060003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX sanctions_realm_idx ON sanctions (realm_id, created_at, id)`);
    await db.query(`
      CREATE INDEX sanctions_realm_unrevoked_idx ON sanctions (realm_id, created_at, id)
       WHERE revoked_at IS NULL`);
    await db.query(`CREATE INDEX sanctions_created_idx ON sanctions (created_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX sanctions_created_idx`);
    await db.query(`DROP INDEX sanctions_realm_unrevoked_idx`);
    await db.query(`DROP INDEX sanctions_realm_idx`);
  }
}
