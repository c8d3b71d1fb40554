import { MigrationInterface, QueryRunner } from 'typeorm';

/** Realms, game servers, staff, players, tickets, reports, idempotency keys and the audit log. */
export class CreateFoundationSchema1764010000000 implements MigrationInterface {
  name = 'CreateFoundationSchema1764010000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE platform_settings (
        key text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE realms (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
        name text NOT NULL,
        player_token_secret text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE game_servers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm_id text NOT NULL REFERENCES realms(id),
        name text NOT NULL,
        key_id text NOT NULL UNIQUE,
        key_hash bytea NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3)
      )`);
    await db.query(`CREATE INDEX game_servers_realm_idx ON game_servers (realm_id)`);

    await db.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent', 'moderator', 'admin')),
        password_hash text NOT NULL,
        realms text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        disabled_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX staff_username_key ON staff (lower(username))`);

    await db.query(`
      CREATE TABLE players (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm_id text NOT NULL REFERENCES realms(id),
        account_id text NOT NULL,
        display_name text,
        language text,
        report_credibility real NOT NULL DEFAULT 0.5 CHECK (report_credibility BETWEEN 0 AND 1),
        report_banned_until timestamptz(3),
        report_ban_reason text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (realm_id, account_id)
      )`);

    await db.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm_id text NOT NULL REFERENCES realms(id),
        kind text NOT NULL CHECK (kind IN ('support', 'moderation')),
        status text NOT NULL CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed')),
        priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        priority_rank smallint NOT NULL,
        priority_overridden boolean NOT NULL DEFAULT false,
        category text NOT NULL,
        subject text NOT NULL,
        requester_player_id uuid REFERENCES players(id),
        subject_player_id uuid REFERENCES players(id),
        language text,
        assignee_staff_id uuid REFERENCES staff(id),
        tags text[] NOT NULL DEFAULT '{}',
        flags text[] NOT NULL DEFAULT '{}',
        score real NOT NULL DEFAULT 0,
        report_count integer NOT NULL DEFAULT 0,
        reporter_count integer NOT NULL DEFAULT 0,
        first_response_due_at timestamptz(3),
        resolution_due_at timestamptz(3),
        first_responded_at timestamptz(3),
        solved_at timestamptz(3),
        closed_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((kind = 'support') = (requester_player_id IS NOT NULL)),
        CHECK ((kind = 'moderation') = (subject_player_id IS NOT NULL))
      )`);
    // The case rule: one open moderation ticket per offender, category group and realm. Concurrent
    // first reports race on this index instead of creating two cases.
    await db.query(`
      CREATE UNIQUE INDEX tickets_one_open_case_idx ON tickets (realm_id, subject_player_id, category)
      WHERE kind = 'moderation' AND status IN ('new', 'open', 'pending')`);
    await db.query(`CREATE INDEX tickets_queue_idx ON tickets (priority_rank, created_at, id)`);
    await db.query(`CREATE INDEX tickets_created_idx ON tickets (created_at, id)`);
    await db.query(
      `CREATE INDEX tickets_requester_idx ON tickets (requester_player_id, created_at)`,
    );
    await db.query(
      `CREATE INDEX tickets_assignee_idx ON tickets (assignee_staff_id) WHERE assignee_staff_id IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE ticket_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        author_type text NOT NULL CHECK (author_type IN ('player', 'staff', 'system')),
        author_player_id uuid REFERENCES players(id),
        author_staff_id uuid REFERENCES staff(id),
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        body text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (author_type <> 'player' OR visibility = 'public')
      )`);
    await db.query(
      `CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, created_at, id)`,
    );

    await db.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm_id text NOT NULL REFERENCES realms(id),
        reporter_player_id uuid NOT NULL REFERENCES players(id),
        reported_player_id uuid NOT NULL REFERENCES players(id),
        category text NOT NULL,
        category_group text NOT NULL,
        description text NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        location jsonb,
        status text NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
        ticket_id uuid NOT NULL REFERENCES tickets(id),
        source text NOT NULL CHECK (source IN ('player', 'game_server')),
        filed_by_server_id uuid REFERENCES game_servers(id),
        reporter_weight real NOT NULL,
        repeat_count integer NOT NULL DEFAULT 0,
        last_repeated_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        resolved_at timestamptz(3),
        CHECK (reporter_player_id <> reported_player_id)
      )`);
    // One open report per reporter -> target: a repeat merges into the open one.
    await db.query(`
      CREATE UNIQUE INDEX reports_one_open_per_pair_idx ON reports (reporter_player_id, reported_player_id, category_group)
      WHERE status = 'open'`);
    await db.query(
      `CREATE INDEX reports_reporter_recent_idx ON reports (reporter_player_id, created_at)`,
    );
    await db.query(`CREATE INDEX reports_ticket_idx ON reports (ticket_id, created_at)`);
    await db.query(`CREATE INDEX reports_reported_idx ON reports (reported_player_id, created_at)`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);

    await db.query(`
      CREATE TABLE audit_entries (
        id bigserial PRIMARY KEY,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        realm_id text,
        before jsonb,
        after jsonb,
        request_id text,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX audit_entries_target_idx ON audit_entries (target_type, target_id, id)`,
    );
    // Append-only is enforced by the database, not only by the absence of an update path.
    await db.query(`
      CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entries is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
      FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'audit_entries',
      'idempotency_keys',
      'reports',
      'ticket_messages',
      'tickets',
      'players',
      'staff',
      'game_servers',
      'realms',
      'platform_settings',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP FUNCTION IF EXISTS audit_entries_append_only()`);
  }
}
