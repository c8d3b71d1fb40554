import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chat evidence of a report: the lines around the incident, copied out of chat by the server
 * (never sent by a client, whose logs are forgeable) with the report's location, and hashed
 * (SHA-256 over a canonical form) so that an edit of the row shows. Kept apart from
 * `chat_messages`, so chat retention never deletes it; `realm_id` leads the key (Citus).
 */
export class CreateReportEvidence1764120002000 implements MigrationInterface {
  name = 'CreateReportEvidence1764120002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_evidence (
        realm_id text NOT NULL,
        report_id uuid NOT NULL REFERENCES reports (id),
        window_from timestamptz(3) NOT NULL,
        window_to timestamptz(3) NOT NULL,
        location jsonb,
        lines jsonb NOT NULL,
        line_count integer NOT NULL,
        sha256 text NOT NULL,
        captured_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (realm_id, report_id)
      )`);
    await db.query(`CREATE UNIQUE INDEX report_evidence_report_idx ON report_evidence (report_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE report_evidence`);
  }
}
