import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];
// Anything else stays a string so that @IsBoolean reports it: a typo must not read as false.
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const word = value.trim().toLowerCase();
  return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : value;
};
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value;

/**
 * Every setting gmdesk reads from the environment, with its default. The README's configuration
 * table is written from this class; keep them together.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Unset means: start an embedded PostgreSQL in DATA_DIR/postgres. */
  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /**
   * Connections per process. A transaction holds one for its whole length, so this bounds how many
   * requests write at once; the rest wait up to DATABASE_POOL_ACQUIRE_TIMEOUT_MS.
   */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  DATABASE_POOL_SIZE = 10;

  /** How long a request waits for a free connection before it fails (503-worthy, not a hang). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_POOL_ACQUIRE_TIMEOUT_MS = 5000;

  @IsString()
  @MinLength(1)
  DATA_DIR = './.data';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** Unset means: a random secret generated on first run and kept in the database. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  STAFF_TOKEN_TTL_SECONDS = 900;

  /**
   * The longest lifetime a player token may have (`exp - iat`, or `exp - now` without `iat`). A
   * token the game backend signed for longer is refused, so a leaked token cannot live for years.
   */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 86400)
  PLAYER_TOKEN_MAX_TTL_SECONDS = 86400;

  /** Failed logins of one username before the back-off starts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_BACKOFF_AFTER_FAILURES = 5;

  /** The first back-off; each further failure doubles it, up to LOGIN_BACKOFF_MAX_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_BACKOFF_BASE_SECONDS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_BACKOFF_MAX_SECONDS = 900;

  /**
   * How long a verified credential (staff token, player token, API key) is reused without checking
   * it again. Revocations drop entries at once (NOTIFY), so this only bounds a missed notice.
   * 0 turns the cache off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CACHE_SECONDS = 30;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY?: boolean;

  /** Requests per principal (or per IP when anonymous) per minute over REST. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /**
   * Requests per game server per minute over REST. Far higher: one server speaks for thousands of
   * players (the login sanction check alone is one request per player login).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  GAME_SERVER_RATE_LIMIT_PER_MINUTE = 600_000;

  /** How many new reports one player may file within REPORT_REPORTER_WINDOW_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REPORT_REPORTER_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  REPORT_REPORTER_WINDOW_SECONDS = 3600;

  /** After a report against a player is closed, the same reporter waits this long to report them again. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  REPORT_TARGET_COOLDOWN_SECONDS = 900;

  /** How old a chat line may be when it arrives (a game server's backlog after an outage). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 14)
  CHAT_MAX_LINE_AGE_HOURS = 72;

  /** Chat batches one game server connection may have unacknowledged at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  CHAT_BATCHES_IN_FLIGHT = 4;

  /** Chat batches one process writes at once (each holds a database connection while it does). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  CHAT_WRITES_IN_FLIGHT = 4;

  /** Chat older than this is deleted, a whole day at a time (evidence on reports is kept). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  CHAT_RETENTION_DAYS = 30;

  /** Day partitions of chat the worker keeps created ahead of today. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  CHAT_PARTITION_DAYS_AHEAD = 3;

  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  /**
   * How long delivered-or-not events stay replayable. A client resuming from further back is told
   * to re-sync over REST instead of getting a partial replay.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DELIVERY_RETENTION_HOURS = 168;

  /** Prefix of the Redis keys the socket.io adapter uses; gateways that share rooms share it. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{0,64}$/, {
    message: 'REDIS_PREFIX may hold letters, digits, : _ - (at most 64)',
  })
  REDIS_PREFIX = 'gmdesk:';

  /** Browser origins allowed to call the API and open sockets (comma separated). */
  @Transform(toList)
  @IsString({ each: true })
  CORS_ORIGINS: string[] = [];

  /**
   * Where the staff console served by this api opens its socket, when no gateway shares its port
   * (the api and the gateways as separate processes, as in docker-compose.yml). Unset: its own
   * origin, as under `npm start`.
   */
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^/?#\s"'<>]+\/?$/, {
    message: 'CONSOLE_GATEWAY_URL must be an http(s) origin such as https://gateway.example.com',
  })
  CONSOLE_GATEWAY_URL?: string;

  /**
   * Failed authentications (401, except an expired token) one client IP may have within
   * AUTH_FAILURE_WINDOW_SECONDS, over REST and at socket handshakes; after that every attempt from
   * that IP is refused with 429 until the window has passed.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_FAILURE_LIMIT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_FAILURE_WINDOW_SECONDS = 300;

  /** How long a client may take to send the request headers (slow-header attacks). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS = 15_000;

  /** How long a client may take to send a whole request, body included (half-sent bodies). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** Sockets one principal (player, staff member, game server) may hold open per namespace. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SOCKET_CONNECTIONS_PER_PRINCIPAL = 10;

  /** Events per second one player or staff member may send over all their sockets (bursts of 2×). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SOCKET_EVENTS_PER_SECOND = 20;

  /** The same for one game server, which speaks for thousands of players (logins, reports). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  GAME_SERVER_EVENTS_PER_SECOND = 10_000;

  /** WebSocket connections that have not finished their handshake (joined a namespace) at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SOCKET_MAX_PENDING_HANDSHAKES = 1000;

  /** A connection that has not joined a namespace after this long is closed. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  SOCKET_HANDSHAKE_TIMEOUT_MS = 10_000;

  /** On an empty database, create a demo realm, an admin and a game-server key. */
  @Transform(toBool)
  @IsBoolean()
  SEED_ON_FIRST_RUN = true;
}

export interface AppConfig {
  readonly host: string;
  readonly port: number;
  readonly databaseUrl?: string;
  readonly databasePool: { readonly size: number; readonly acquireTimeoutMs: number };
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  readonly jwtSecret?: string;
  readonly staffTokenTtlSeconds: number;
  readonly authCacheSeconds: number;
  readonly playerTokenMaxTtlSeconds: number;
  readonly loginBackoff: {
    readonly afterFailures: number;
    readonly baseSeconds: number;
    readonly maxSeconds: number;
  };
  readonly logLevel: string;
  readonly logPretty: boolean;
  readonly rateLimitPerMinute: number;
  readonly gameServerRateLimitPerMinute: number;
  readonly reports: {
    readonly reporterLimit: number;
    readonly reporterWindowSeconds: number;
    readonly targetCooldownSeconds: number;
  };
  readonly chat: {
    readonly maxLineAgeHours: number;
    readonly batchesInFlight: number;
    readonly writesInFlight: number;
    readonly partitionDaysAhead: number;
    readonly retentionDays: number;
  };
  readonly redisUrl?: string;
  readonly deliveryRetentionHours: number;
  readonly redisPrefix: string;
  readonly corsOrigins: readonly string[];
  /** The origin the console's socket connects to; undefined: the page's own. */
  readonly consoleGatewayUrl?: string;
  readonly seedOnFirstRun: boolean;
  readonly authFailureLimit: number;
  readonly authFailureWindowSeconds: number;
  readonly httpHeadersTimeoutMs: number;
  readonly httpRequestTimeoutMs: number;
  readonly socketConnectionsPerPrincipal: number;
  readonly socketEventsPerSecond: number;
  readonly gameServerEventsPerSecond: number;
  readonly socketMaxPendingHandshakes: number;
  readonly socketHandshakeTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Constraints that say what kind of value is expected; when one fails, range checks are noise. */
const KIND_CONSTRAINTS = ['isInt', 'isBoolean', 'isString', 'isIn'];

/** One line per bad variable: "PORT=abc" reads "must be an integer", not also "must be ≤ 65535". */
function describeProblem(error: ValidationError): string {
  const constraints = Object.entries(error.constraints ?? {});
  const kind = constraints.filter(([name]) => KIND_CONSTRAINTS.includes(name));
  const messages = (kind.length > 0 ? kind : constraints).map(([, message]) => message);
  return messages.length > 0 ? messages.join('; ') : `${error.property} is invalid`;
}

/** Reads and validates the environment once; throws one ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const raw: Record<string, string> = {};
  for (const key of [...known, 'DATABASE_URL', 'JWT_SECRET', 'LOG_PRETTY', 'REDIS_URL']) {
    const value = env[key];
    if (value !== undefined && value !== '') {
      raw[key] = value;
    }
  }
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { whitelist: true });
  const problems = errors.map(describeProblem);
  if (errors.length === 0 && vars.LOGIN_BACKOFF_MAX_SECONDS < vars.LOGIN_BACKOFF_BASE_SECONDS) {
    problems.push('LOGIN_BACKOFF_MAX_SECONDS must not be less than LOGIN_BACKOFF_BASE_SECONDS');
  }
  if (errors.length === 0 && vars.HTTP_REQUEST_TIMEOUT_MS < vars.HTTP_HEADERS_TIMEOUT_MS) {
    // Node refuses a request timeout shorter than the headers timeout.
    problems.push('HTTP_REQUEST_TIMEOUT_MS must not be shorter than HTTP_HEADERS_TIMEOUT_MS');
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return Object.freeze({
    host: vars.HOST,
    port: vars.PORT,
    databaseUrl: vars.DATABASE_URL,
    databasePool: Object.freeze({
      size: vars.DATABASE_POOL_SIZE,
      acquireTimeoutMs: vars.DATABASE_POOL_ACQUIRE_TIMEOUT_MS,
    }),
    dataDir: vars.DATA_DIR,
    embeddedPostgresPort: vars.EMBEDDED_PG_PORT,
    jwtSecret: vars.JWT_SECRET,
    staffTokenTtlSeconds: vars.STAFF_TOKEN_TTL_SECONDS,
    authCacheSeconds: vars.AUTH_CACHE_SECONDS,
    playerTokenMaxTtlSeconds: vars.PLAYER_TOKEN_MAX_TTL_SECONDS,
    loginBackoff: Object.freeze({
      afterFailures: vars.LOGIN_BACKOFF_AFTER_FAILURES,
      baseSeconds: vars.LOGIN_BACKOFF_BASE_SECONDS,
      maxSeconds: vars.LOGIN_BACKOFF_MAX_SECONDS,
    }),
    logLevel: vars.LOG_LEVEL,
    logPretty: vars.LOG_PRETTY ?? Boolean(process.stdout.isTTY),
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    gameServerRateLimitPerMinute: vars.GAME_SERVER_RATE_LIMIT_PER_MINUTE,
    reports: Object.freeze({
      reporterLimit: vars.REPORT_REPORTER_LIMIT,
      reporterWindowSeconds: vars.REPORT_REPORTER_WINDOW_SECONDS,
      targetCooldownSeconds: vars.REPORT_TARGET_COOLDOWN_SECONDS,
    }),
    chat: Object.freeze({
      maxLineAgeHours: vars.CHAT_MAX_LINE_AGE_HOURS,
      batchesInFlight: vars.CHAT_BATCHES_IN_FLIGHT,
      writesInFlight: vars.CHAT_WRITES_IN_FLIGHT,
      partitionDaysAhead: vars.CHAT_PARTITION_DAYS_AHEAD,
      retentionDays: vars.CHAT_RETENTION_DAYS,
    }),
    redisUrl: vars.REDIS_URL,
    deliveryRetentionHours: vars.DELIVERY_RETENTION_HOURS,
    redisPrefix: vars.REDIS_PREFIX,
    corsOrigins: Object.freeze([...vars.CORS_ORIGINS]),
    consoleGatewayUrl:
      vars.CONSOLE_GATEWAY_URL === undefined ? undefined : new URL(vars.CONSOLE_GATEWAY_URL).origin,
    seedOnFirstRun: vars.SEED_ON_FIRST_RUN,
    authFailureLimit: vars.AUTH_FAILURE_LIMIT,
    authFailureWindowSeconds: vars.AUTH_FAILURE_WINDOW_SECONDS,
    httpHeadersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS,
    socketConnectionsPerPrincipal: vars.SOCKET_CONNECTIONS_PER_PRINCIPAL,
    socketEventsPerSecond: vars.SOCKET_EVENTS_PER_SECOND,
    gameServerEventsPerSecond: vars.GAME_SERVER_EVENTS_PER_SECOND,
    socketMaxPendingHandshakes: vars.SOCKET_MAX_PENDING_HANDSHAKES,
    socketHandshakeTimeoutMs: vars.SOCKET_HANDSHAKE_TIMEOUT_MS,
  });
}
