import { MigrationInterface, QueryRunner } from 'typeorm';

/** Closing a case asks whether a sanction was issued for it (its reports are then upheld). */
export class AddSanctionsTicketIndex1764070001000 implements MigrationInterface {
  name = 'AddSanctionsTicketIndex1764070001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX sanctions_ticket_idx ON sanctions (ticket_id) WHERE ticket_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS sanctions_ticket_idx`);
  }
}
