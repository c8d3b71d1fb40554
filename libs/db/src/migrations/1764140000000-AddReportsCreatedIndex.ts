import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard counts reports filed per hour over the last hours (GET /stats/intake): without
 * an index on when they were filed, that reads the whole reports table on every refresh.
 */
export class AddReportsCreatedIndex1764140000000 implements MigrationInterface {
  name = 'AddReportsCreatedIndex1764140000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX reports_created_idx ON reports (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS reports_created_idx`);
  }
}
