/**
 * `npm run simulate -- [--servers 3] [--players 40] [--rate 1] [--duration 0] [--realm sim]`
 *
 * A living gmdesk for a first look and for screenshots: game servers and players come online
 * through the SDK, players file reports (most against a few offenders, so their cases grow) and
 * open support tickets, answer the GMs' replies, and the game servers acknowledge the sanctions
 * GMs issue. Runs against GMDESK_URL (default http://127.0.0.1:3000) until --duration seconds
 * pass or Ctrl-C.
 *
 * Credentials, without copying secrets: like `npm run token`, it opens gmdesk's own database
 * (DATABASE_URL, or the embedded PostgreSQL that `npm start` runs) and, in one transaction,
 *  - creates the realm (default `sim`) when it does not exist, with a fresh player-token secret;
 *  - registers its game servers `sim-server-1..N` in that realm, or gives the existing ones a new
 *    API key (so repeated runs reuse the same servers and every realm server stays one that
 *    acknowledges sanctions);
 *  - writes an audit entry for each change (actor `system` / `npm run simulate`).
 * The player tokens are signed with the realm's secret, as the game backend would. This is a
 * development tool with the database access `npm start` already has; a real game keeps its
 * secrets itself and registers servers through the admin API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadConfig, type AppConfig } from '../libs/config/src';
import { localDatabase } from './local-database';
import {
  runSimulation,
  simulationPlayers,
  type SimulationPlayer,
  type SimulationStats,
} from './simulation';

const REALM_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

const USAGE = `usage: npm run simulate -- [options]

  --servers <n>    game servers to run (default 3, at most 20)
  --players <n>    players online (default 40, at most 500)
  --offenders <n>  players most reports are about (default players / 10, at least 2)
  --rate <n>       reports and tickets per second, all players together (default 1)
  --duration <s>   stop after this many seconds (default 0: until Ctrl-C)
  --realm <id>     the realm to play in, created when missing (default sim)
  --url <url>      the gmdesk to talk to (default GMDESK_URL or http://127.0.0.1:3000)

Credentials come from gmdesk's database (DATABASE_URL, or the embedded PostgreSQL of a
running npm start): see the header of tools/simulate.ts.`;

class UsageError extends Error {}

interface Options {
  readonly servers: number;
  readonly players: number;
  readonly offenders: number;
  readonly rate: number;
  readonly duration: number;
  readonly realm: string;
  readonly url: string;
}

function parseOptions(argv: string[]): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        servers: { type: 'string' },
        players: { type: 'string' },
        offenders: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        realm: { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values['help']) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const number = (key: string, fallback: number, min: number, max: number): number => {
    const raw = values[key];
    if (raw === undefined) {
      return fallback;
    }
    const value = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) {
      throw new UsageError(`--${key} must be a number from ${min} to ${max}`);
    }
    return value;
  };
  const servers = Math.floor(number('servers', 3, 1, 20));
  const players = Math.floor(number('players', 40, 2, 500));
  const offenders = Math.floor(
    number('offenders', Math.max(2, Math.round(players / 10)), 1, players - 1),
  );
  const rate = number('rate', 1, 0.05, 200);
  const duration = number('duration', 0, 0, 7 * 86_400);
  const realm = typeof values['realm'] === 'string' ? values['realm'] : 'sim';
  if (!REALM_ID.test(realm)) {
    throw new UsageError('--realm must be lowercase letters, digits and dashes (at most 40)');
  }
  const url =
    (typeof values['url'] === 'string' ? values['url'] : undefined) ??
    process.env.GMDESK_URL ??
    'http://127.0.0.1:3000';
  if (!/^https?:\/\/[^/]+/.test(url)) {
    throw new UsageError('--url must be an http(s) URL, e.g. http://127.0.0.1:3000');
  }
  return { servers, players, offenders, rate, duration, realm, url: url.replace(/\/+$/, '') };
}

interface Credentials {
  readonly realmSecret: string;
  readonly realmCreated: boolean;
  readonly serverKeys: readonly string[];
}

const AUDIT_ACTOR = ['system', 'npm run simulate'] as const;

/**
 * The realm and its simulated game servers, straight in gmdesk's database (one transaction).
 * API keys have the form the api issues (`gmd_<keyId>_<secret>`, SHA-256 of the secret stored).
 */
async function prepareCredentials(config: AppConfig, options: Options): Promise<Credentials> {
  const { url, embedded, description: where } = localDatabase(config);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new Error(
      embedded
        ? `${where} is not reachable (${reason}): start gmdesk first (npm start)`
        : `cannot reach ${where} (${reason})`,
      { cause: error },
    );
  }
  const audit = (action: string, targetType: string, targetId: string, after: object) =>
    client.query(
      `INSERT INTO audit_entries (actor_type, actor_id, action, target_type, target_id, realm_id, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [...AUDIT_ACTOR, action, targetType, targetId, options.realm, JSON.stringify(after)],
    );
  try {
    await client.query('BEGIN');
    const inserted = await client.query<{ secret: string }>(
      `INSERT INTO realms (id, name, player_token_secret) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING RETURNING player_token_secret AS secret`,
      [options.realm, `Simulation (${options.realm})`, randomBytes(32).toString('base64url')],
    );
    const realmCreated = inserted.rows.length > 0;
    if (realmCreated) {
      await audit('realm.create', 'realm', options.realm, { source: 'npm run simulate' });
    }
    const secret = (
      await client.query<{ secret: string }>(
        'SELECT player_token_secret AS secret FROM realms WHERE id = $1',
        [options.realm],
      )
    ).rows[0].secret;
    const serverKeys: string[] = [];
    for (let i = 1; i <= options.servers; i += 1) {
      const name = `sim-server-${i}`;
      const keyId = randomBytes(8).toString('hex');
      const keySecret = randomBytes(32).toString('base64url');
      const keyHash = createHash('sha256').update(keySecret).digest();
      const updated = await client.query<{ id: string }>(
        `UPDATE game_servers SET key_id = $3, key_hash = $4, revoked_at = NULL
          WHERE id = (SELECT id FROM game_servers WHERE realm_id = $1 AND name = $2
                       ORDER BY created_at LIMIT 1)
          RETURNING id`,
        [options.realm, name, keyId, keyHash],
      );
      const id =
        updated.rows[0]?.id ??
        (
          await client.query<{ id: string }>(
            `INSERT INTO game_servers (realm_id, name, key_id, key_hash) VALUES ($1, $2, $3, $4)
             RETURNING id`,
            [options.realm, name, keyId, keyHash],
          )
        ).rows[0].id;
      await audit(
        updated.rows.length > 0 ? 'game_server.rotate_key' : 'game_server.create',
        'game_server',
        id,
        { name, keyId },
      );
      serverKeys.push(`gmd_${keyId}_${keySecret}`);
    }
    await client.query('COMMIT');
    return { realmSecret: secret, realmCreated, serverKeys };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: unknown }).code === '42P01') {
      throw new Error(`${where} has no gmdesk schema yet: start gmdesk first (npm start)`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function signPlayers(
  options: Options,
  secret: string,
  ttlSeconds: number,
): Promise<SimulationPlayer[]> {
  // jose is ESM-only; Node >= 20.19 loads it from this CommonJS script (require(esm)).
  const { SignJWT } = await import('jose');
  const key = new TextEncoder().encode(secret);
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    simulationPlayers(options.players, options.offenders).map(async (player) => ({
      ...player,
      token: await new SignJWT({ realm: options.realm, name: player.displayName })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(player.accountId)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(key),
    })),
  );
}

function progressLine(stats: SimulationStats): string {
  const parts = [
    `${stats.elapsedSeconds}s`,
    `servers ${stats.serversOnline}`,
    `players ${stats.playersOnline}`,
    `reports ${stats.reportsFiled} (${stats.reportsMerged} merged)`,
    `tickets ${stats.ticketsOpened}`,
    `GM replies ${stats.gmRepliesReceived} → answers ${stats.playerAnswers}`,
    `sanctions acked ${stats.sanctionsAcked}/${stats.sanctionsReceived}`,
  ];
  if (stats.refused > 0) {
    parts.push(`refused ${stats.refused}`);
  }
  if (stats.errors > 0) {
    parts.push(`errors ${stats.errors} (${stats.lastError ?? ''})`);
  }
  return `simulate: ${parts.join(' · ')}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const config = loadConfig();
  const credentials = await prepareCredentials(config, options);
  const ttl = Math.min(config.playerTokenMaxTtlSeconds, Math.max(3600, options.duration + 600));
  const players = await signPlayers(options, credentials.realmSecret, ttl);
  process.stdout.write(
    `simulate: ${options.url}, realm "${options.realm}"${credentials.realmCreated ? ' (created)' : ''}, ` +
      `${options.servers} game servers, ${options.players} players (${options.offenders} offenders), ` +
      `${options.rate}/s${options.duration > 0 ? ` for ${options.duration}s` : ' until Ctrl-C'}\n` +
      `simulate: open ${options.url}/console, reply to tickets and sanction offenders: the players answer and the servers ack\n`,
  );
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const tty = process.stdout.isTTY;
  let lastPrinted = 0;
  const stats = await runSimulation({
    url: options.url,
    realmId: options.realm,
    serverKeys: credentials.serverKeys,
    players,
    rate: options.rate,
    durationSeconds: options.duration,
    signal: stop.signal,
    onProgress: (current) => {
      if (tty) {
        process.stdout.write(`\r\x1b[2K${progressLine(current)}`);
      } else if (current.elapsedSeconds - lastPrinted >= 5) {
        lastPrinted = current.elapsedSeconds;
        process.stdout.write(`${progressLine(current)}\n`);
      }
    },
  });
  process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${progressLine(stats)}\nsimulate: done\n`);
  process.exit(stats.errors > 0 && stats.reportsFiled + stats.ticketsOpened === 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    error instanceof UsageError ? `simulate: ${message}\n\n${USAGE}\n` : `simulate: ${message}\n`,
  );
  process.exit(1);
});
