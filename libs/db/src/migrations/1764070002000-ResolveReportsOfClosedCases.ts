import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Until now nothing resolved a report, so reports of cases that staff already solved or closed
 * are still open: each one swallows its reporter's next report against the same player (merged
 * into a case nobody looks at). Resolve them as closing a case does from now on: `upheld` when a
 * sanction on the reported player, linked to the case and not revoked, exists; else `rejected`;
 * resolved when the case was solved. Credibility is left alone: those outcomes were never decided.
 */
export class ResolveReportsOfClosedCases1764070002000 implements MigrationInterface {
  name = 'ResolveReportsOfClosedCases1764070002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE reports r
         SET status = CASE WHEN EXISTS (
               SELECT 1 FROM sanctions s
                WHERE s.ticket_id = t.id AND s.player_id = t.subject_player_id AND s.revoked_at IS NULL
             ) THEN 'upheld' ELSE 'rejected' END,
             resolved_at = coalesce(t.solved_at, t.closed_at, now())
        FROM tickets t
       WHERE r.ticket_id = t.id AND r.status = 'open' AND t.status IN ('solved', 'closed')`);
  }

  async down(): Promise<void> {
    // Data only: which reports were open before cannot be told apart from ones resolved later.
  }
}
