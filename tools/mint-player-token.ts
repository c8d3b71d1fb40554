/**
 * `npm run -s token -- --player <accountId> --realm <realmId> [--ttl 3600] [--name N] [--secret S]`
 *
 * Prints one player token signed the way a game backend signs them: HS256 with the realm's
 * player-token secret, claims `sub` (the game's account id), `realm`, `iat`, `exp` and an optional
 * `name`. Without --secret it reads the realm's current secret from gmdesk's database
 * (DATABASE_URL, or the embedded cluster that `npm start` runs), so after a rotation
 * (`POST /realms/:realmId/player-token-secret/rotate`) it signs with the new one. The lifetime is
 * capped by PLAYER_TOKEN_MAX_TTL_SECONDS, as gmdesk refuses longer tokens. A development tool: a
 * real game backend keeps the secret itself and never reads gmdesk's database.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadConfig, type AppConfig } from '../libs/config/src';
import { localDatabase } from './local-database';

// The same rules the api applies to a token's subject and a realm id (auth.service, field decorators).
const ACCOUNT_ID = /^[A-Za-z0-9_.:@-]{1,64}$/;
const REALM_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

const USAGE = `usage: npm run -s token -- --player <accountId> --realm <realmId> [options]

  --player <id>    the game's account id of the player (the token's sub)
  --realm <id>     the realm the player is in, e.g. demo
  --ttl <seconds>  lifetime, default 3600, at most PLAYER_TOKEN_MAX_TTL_SECONDS (86400 unless set)
  --name <name>    display name carried in the token (optional)
  --secret <s>     the realm's player-token secret; without it the realm's current secret is
                   read from the database (DATABASE_URL, or the embedded PostgreSQL of a
                   running npm start)`;

class UsageError extends Error {}

interface Options {
  readonly player: string;
  readonly realm: string;
  readonly ttl: number;
  readonly name?: string;
  readonly secret?: string;
}

function parseOptions(argv: string[], maxTtlSeconds: number): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        player: { type: 'string' },
        realm: { type: 'string' },
        ttl: { type: 'string' },
        name: { type: 'string' },
        secret: { type: 'string' },
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
  const text = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === 'string' ? value : undefined;
  };
  const player = text('player');
  const realm = text('realm');
  if (!player || !realm) {
    throw new UsageError('--player and --realm are required');
  }
  if (!ACCOUNT_ID.test(player)) {
    throw new UsageError('--player must be 1-64 characters of letters, digits and _ . : @ -');
  }
  if (!REALM_ID.test(realm)) {
    throw new UsageError('--realm must be lowercase letters, digits and dashes (at most 40)');
  }
  const ttlText = text('ttl') ?? String(Math.min(3600, maxTtlSeconds));
  const ttl = /^\d+$/.test(ttlText) ? Number(ttlText) : NaN;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > maxTtlSeconds) {
    throw new UsageError(
      `--ttl must be a whole number of seconds from 1 to ${maxTtlSeconds} (PLAYER_TOKEN_MAX_TTL_SECONDS)`,
    );
  }
  const name = text('name');
  if (name !== undefined && (name.length === 0 || name.length > 64)) {
    throw new UsageError('--name must be 1-64 characters');
  }
  const secret = text('secret');
  if (secret !== undefined && secret.length === 0) {
    throw new UsageError('--secret must not be empty');
  }
  return { player, realm, ttl, name, secret };
}

/** The realm's secret from gmdesk's own database, or an error that says what to do. */
async function readRealmSecret(config: AppConfig, realmId: string): Promise<string> {
  const { url, embedded, description: where } = localDatabase(config);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    if (embedded) {
      const cluster = join(config.dataDir, 'postgres', 'PG_VERSION');
      const state = existsSync(cluster) ? 'is not running' : 'does not exist yet';
      throw new Error(
        `${where} ${state} (${reason}): start gmdesk first (npm start) or pass --secret`,
        { cause: error },
      );
    }
    throw new Error(`cannot reach ${where} (${reason}): pass --secret instead`, { cause: error });
  }
  try {
    const result = await client.query<{ secret: string }>(
      'SELECT player_token_secret AS secret FROM realms WHERE id = $1',
      [realmId],
    );
    const secret = result.rows[0]?.secret;
    if (!secret) {
      const known = await client.query<{ id: string }>('SELECT id FROM realms ORDER BY id');
      const list = known.rows.map((row) => row.id).join(', ') || 'none';
      throw new Error(`realm "${realmId}" not found in ${where} (realms: ${list})`);
    }
    return secret;
  } catch (error) {
    // 42P01 undefined_table: the database exists but gmdesk never migrated it.
    if ((error as { code?: unknown }).code === '42P01') {
      throw new Error(
        `${where} has no gmdesk schema yet: start gmdesk first (npm start) or pass --secret`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const options = parseOptions(process.argv.slice(2), config.playerTokenMaxTtlSeconds);
  const secret = options.secret ?? (await readRealmSecret(config, options.realm));
  // jose is ESM-only; Node >= 20.19 loads it from this CommonJS script (require(esm)).
  const { SignJWT } = await import('jose');
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    realm: options.realm,
    ...(options.name !== undefined && { name: options.name }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.player)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttl)
    .sign(new TextEncoder().encode(secret));
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    error instanceof UsageError ? `token: ${message}\n\n${USAGE}\n` : `token: ${message}\n`,
  );
  process.exit(1);
});
