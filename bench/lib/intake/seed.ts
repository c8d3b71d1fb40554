import { hash } from 'argon2';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import type { IntakeSettings } from './settings';

export const BENCH_REALM = 'bench';
/** The table the bare INSERT endpoint and pgbench write: the width of a report row. */
export const BARE_WRITE_TABLE = 'bench_bare_writes';

export interface SeededData {
  readonly realmId: string;
  readonly realmSecret: string;
  readonly staff: readonly { readonly username: string; readonly password: string }[];
  /** Open support tickets (new / open / pending) for the staff replies. */
  readonly replyTicketIds: readonly string[];
  /** Random tickets of both kinds for the ticket view. */
  readonly viewTicketIds: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** Account ids of the players the write workloads act as (seeded, so they exist as in production). */
export const reporterAccount = (index: number): string => `wr${index + 1}`;
export const targetAccount = (index: number): string => `wt${index + 1}`;

/**
 * Fills a freshly cloned gmdesk database with SQL (generate_series), not through the API: one
 * realm, a few agents, players, `settings.tickets` tickets (half support tickets, half moderation
 * cases, statuses and priorities mixed, spread over the last weeks), two messages per ticket and
 * two open reports per case; then VACUUM ANALYZE so plans and visibility maps are as in a settled
 * database. The rows honour every constraint of the schema (one open case per subject and
 * category group, one open report per reporter → target and group).
 */
export async function seedDatabase(client: Client, settings: IntakeSettings): Promise<SeededData> {
  const started = Date.now();
  const realmSecret = randomBytes(32).toString('base64url');
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hash(password);
  const players = settings.seededPlayers;
  const tickets = settings.tickets;
  if (tickets / 2 > 4 * players) {
    throw new Error('seed: more moderation cases than (subject, category group) pairs');
  }

  await client.query('BEGIN');
  await client.query(`INSERT INTO realms (id, name, player_token_secret) VALUES ($1, $2, $3)`, [
    BENCH_REALM,
    'Bench realm',
    realmSecret,
  ]);
  await client.query(
    `INSERT INTO staff (username, display_name, role, password_hash, realms, languages)
     SELECT 'bench-agent-' || i, 'Agent ' || i, 'agent', $1, '{}', '{en}'
     FROM generate_series(1, $2::int) AS i`,
    [passwordHash, settings.staff],
  );
  const staffRows = await client.query<{ id: string; username: string }>(
    `SELECT id, username FROM staff WHERE username LIKE 'bench-agent-%' ORDER BY username`,
  );
  const firstAgent = staffRows.rows[0]?.id;

  // Players p1..pN (the seeded tickets' people), wr1..wrR (reporters, ticket openers) and
  // wt1..wtT (report targets), all known for 60 days.
  await client.query(
    `INSERT INTO players (realm_id, account_id, display_name, language, created_at, updated_at)
     SELECT $1, prefix || i, initcap(name) || ' ' || i, 'en', now() - interval '60 days', now() - interval '60 days'
     FROM (VALUES ('p', 'player', $2::int), ('wr', 'reporter', $3::int), ('wt', 'target', $4::int))
       AS kinds (prefix, name, n),
       LATERAL generate_series(1, kinds.n) AS i`,
    [BENCH_REALM, players, settings.reporters, settings.targets],
  );

  // Tickets: odd i support, even i moderation (case m = i / 2 is about player m mod N in category
  // group m / N, unique among open cases). Status by i mod 10: 40 % new, 20 % open, 10 % pending,
  // 20 % solved, 10 % closed; priority by (i / 7) mod 4; one ticket every 20 s back from now.
  await client.query(
    `WITH numbered AS (
       SELECT i,
              i % 2 = 0 AS moderation,
              (ARRAY['new','new','new','new','open','open','pending','solved','solved','closed'])[i % 10 + 1] AS status,
              (ARRAY['low','normal','high','urgent'])[(i / 7) % 4 + 1] AS priority,
              now() - ($2::int - i) * interval '20 seconds' AS created_at
       FROM generate_series(0, $2::int - 1) AS i
     )
     INSERT INTO tickets (realm_id, kind, status, priority, priority_rank, category, subject,
                          requester_player_id, subject_player_id, language, assignee_staff_id,
                          score, report_count, reporter_count, first_response_due_at,
                          resolution_due_at, first_responded_at, solved_at, closed_at,
                          created_at, updated_at)
     SELECT $1,
            CASE WHEN n.moderation THEN 'moderation' ELSE 'support' END,
            n.status, n.priority,
            CASE n.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
            CASE WHEN n.moderation
                 THEN (ARRAY['unfair_play','abuse','commerce','other'])[(n.i / 2 / $3::int) % 4 + 1]
                 ELSE (ARRAY['stuck','lost_item','account','billing','bug','other'])[n.i % 6 + 1] END,
            CASE WHEN n.moderation THEN 'Reports against ' || p.display_name
                 ELSE 'Stuck under the map near the bank, ticket ' || n.i END,
            CASE WHEN n.moderation THEN NULL ELSE p.id END,
            CASE WHEN n.moderation THEN p.id ELSE NULL END,
            'en',
            CASE WHEN n.status IN ('open', 'pending', 'solved', 'closed') THEN $4::uuid END,
            CASE WHEN n.moderation THEN 1.0 ELSE 0 END,
            CASE WHEN n.moderation THEN 2 ELSE 0 END,
            CASE WHEN n.moderation THEN 2 ELSE 0 END,
            CASE WHEN n.moderation THEN NULL ELSE n.created_at + interval '24 hours' END,
            n.created_at + interval '72 hours',
            CASE WHEN n.status <> 'new' THEN n.created_at + interval '1 hour' END,
            CASE WHEN n.status IN ('solved', 'closed') THEN n.created_at + interval '2 hours' END,
            CASE WHEN n.status = 'closed' THEN n.created_at + interval '3 hours' END,
            n.created_at, n.created_at
     FROM numbered n
     JOIN players p ON p.realm_id = $1
                   AND p.account_id = 'p' || ((CASE WHEN n.moderation THEN n.i / 2 ELSE n.i END) % $3::int + 1)`,
    [BENCH_REALM, tickets, players, firstAgent],
  );

  // Two messages per ticket: support = the player's petition and a GM's public answer;
  // a case = two internal staff notes.
  await client.query(
    `INSERT INTO ticket_messages (ticket_id, author_type, author_player_id, author_staff_id,
                                  visibility, body, created_at)
     SELECT t.id,
            CASE WHEN t.kind = 'support' AND k = 1 THEN 'player' ELSE 'staff' END,
            CASE WHEN t.kind = 'support' AND k = 1 THEN t.requester_player_id END,
            CASE WHEN t.kind = 'support' AND k = 1 THEN NULL ELSE $2::uuid END,
            CASE WHEN t.kind = 'support' THEN 'public' ELSE 'internal' END,
            CASE WHEN k = 1 THEN 'I fell through the floor near the bank and cannot move. Please help, my whole guild is waiting for me.'
                 ELSE 'Teleported you to the inn. Safe travels! If it happens again, please tell us where exactly.' END,
            t.created_at + (k - 1) * interval '1 hour'
     FROM tickets t, generate_series(1, 2) AS k
     WHERE t.realm_id = $1`,
    [BENCH_REALM, firstAgent],
  );

  // Two reports per case, from the subject's two "next" players (p(s+1), p(s+2)).
  await client.query(
    `INSERT INTO reports (realm_id, reporter_player_id, reported_player_id, category, category_group,
                          description, occurred_at, location, status, ticket_id, source,
                          reporter_weight, created_at, resolved_at)
     SELECT $1, r.id, t.subject_player_id,
            CASE t.category WHEN 'unfair_play' THEN 'cheating' WHEN 'abuse' THEN 'harassment'
                            WHEN 'commerce' THEN 'rmt' ELSE 'other' END,
            t.category,
            'Kept teleporting around the boss and one-shotting the whole raid, then laughed about it in /say.',
            t.created_at - interval '10 minutes',
            '{"zone": "Molten Core"}'::jsonb,
            CASE WHEN t.status IN ('new', 'open', 'pending') THEN 'open' ELSE 'upheld' END,
            t.id, 'player', 0.5,
            t.created_at + (k - 1) * interval '1 minute',
            CASE WHEN t.status IN ('new', 'open', 'pending') THEN NULL ELSE t.created_at + interval '2 hours' END
     FROM tickets t
     JOIN players s ON s.id = t.subject_player_id
     CROSS JOIN generate_series(1, 2) AS k
     JOIN players r ON r.realm_id = $1
                   AND r.account_id = 'p' || ((substr(s.account_id, 2)::int - 1 + k) % $2::int + 1)
     WHERE t.realm_id = $1 AND t.kind = 'moderation'`,
    [BENCH_REALM, players],
  );

  await client.query(`
    CREATE TABLE ${BARE_WRITE_TABLE} (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      realm_id text NOT NULL,
      reporter text NOT NULL,
      reported text NOT NULL,
      category text NOT NULL,
      description text NOT NULL,
      occurred_at timestamptz(3) NOT NULL,
      location jsonb,
      status text NOT NULL DEFAULT 'open',
      created_at timestamptz(3) NOT NULL DEFAULT now()
    )`);
  await client.query('COMMIT');

  for (const table of ['players', 'staff', 'tickets', 'ticket_messages', 'reports']) {
    await client.query(`VACUUM ANALYZE ${table}`);
  }
  await client.query('CHECKPOINT').catch(() => undefined); // needs superuser; only tidier

  const replyTickets = await client.query<{ id: string }>(
    `SELECT id FROM tickets
     WHERE realm_id = $1 AND kind = 'support' AND status IN ('new', 'open', 'pending')
     ORDER BY md5(id::text) LIMIT $2`,
    [BENCH_REALM, settings.replyTickets],
  );
  const viewTickets = await client.query<{ id: string }>(
    `SELECT id FROM tickets WHERE realm_id = $1 ORDER BY md5(id::text || 'view') LIMIT $2`,
    [BENCH_REALM, settings.viewTickets],
  );
  const counts = await client.query<{ table: string; rows: string }>(
    `SELECT 'tickets' AS table, count(*)::text AS rows FROM tickets
     UNION ALL SELECT 'ticket_messages', count(*)::text FROM ticket_messages
     UNION ALL SELECT 'reports', count(*)::text FROM reports
     UNION ALL SELECT 'players', count(*)::text FROM players`,
  );
  return {
    realmId: BENCH_REALM,
    realmSecret,
    staff: staffRows.rows.map((row) => ({ username: row.username, password })),
    replyTicketIds: replyTickets.rows.map((row) => row.id),
    viewTicketIds: viewTickets.rows.map((row) => row.id),
    counts: Object.fromEntries(counts.rows.map((row) => [row.table, Number(row.rows)])),
    seconds: (Date.now() - started) / 1000,
  };
}
