import { ConfigError, loadConfig } from './app-config';

/** The ConfigError loadConfig throws for `env`, or a failure when it does not throw one. */
function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  const sut = loadConfig;

  describe('from an empty environment', () => {
    it('uses the documented defaults', () => {
      const config = sut({});

      expect(config).toMatchObject({
        host: '127.0.0.1',
        port: 3000,
        dataDir: './.data',
        embeddedPostgresPort: 54329,
        staffTokenTtlSeconds: 900,
        staffSessionTtlSeconds: 43200,
        playerTokenMaxTtlSeconds: 86400,
        loginBackoff: { afterFailures: 5, baseSeconds: 30, maxSeconds: 900 },
        logLevel: 'info',
        rateLimitPerMinute: 600,
        reports: { reporterLimit: 10, reporterWindowSeconds: 3600, targetCooldownSeconds: 900 },
        corsOrigins: [],
        seedOnFirstRun: true,
        authFailureLimit: 20,
        authFailureWindowSeconds: 300,
        httpHeadersTimeoutMs: 15_000,
        httpRequestTimeoutMs: 30_000,
        socketConnectionsPerPrincipal: 10,
        socketEventsPerSecond: 20,
        gameServerEventsPerSecond: 10_000,
        socketMaxPendingHandshakes: 1000,
        socketHandshakeTimeoutMs: 10_000,
      });
    });

    it('leaves the database, JWT secret and Redis unset, which means embedded and generated', () => {
      const config = sut({});

      expect(config.databaseUrl).toBeUndefined();
      expect(config.jwtSecret).toBeUndefined();
      expect(config.redisUrl).toBeUndefined();
    });

    it('never reads process.env when given an environment', () => {
      const saved = process.env.PORT;
      process.env.PORT = '4444';
      try {
        expect(sut({}).port).toBe(3000);
      } finally {
        if (saved === undefined) {
          delete process.env.PORT;
        } else {
          process.env.PORT = saved;
        }
      }
    });
  });

  describe('conversion', () => {
    it('turns numeric settings into numbers', () => {
      const config = sut({
        PORT: '8080',
        EMBEDDED_PG_PORT: '6543',
        STAFF_TOKEN_TTL_SECONDS: '120',
        RATE_LIMIT_PER_MINUTE: '5',
        REPORT_REPORTER_LIMIT: '3',
        REPORT_REPORTER_WINDOW_SECONDS: '60',
        REPORT_TARGET_COOLDOWN_SECONDS: '0',
      });

      expect(config).toMatchObject({
        port: 8080,
        embeddedPostgresPort: 6543,
        staffTokenTtlSeconds: 120,
        rateLimitPerMinute: 5,
        reports: { reporterLimit: 3, reporterWindowSeconds: 60, targetCooldownSeconds: 0 },
      });
    });

    it('accepts port 0, which asks the system for a free port', () => {
      expect(sut({ PORT: '0' }).port).toBe(0);
    });

    it.each(['true', 'TRUE', '1', 'yes', 'on'])('reads %s as true', (value) => {
      expect(sut({ LOG_PRETTY: value }).logPretty).toBe(true);
    });

    it.each(['false', 'False', '0', 'no', 'off'])('reads %s as false', (value) => {
      expect(sut({ SEED_ON_FIRST_RUN: value }).seedOnFirstRun).toBe(false);
    });

    it('splits CORS_ORIGINS on commas, trimming blanks and dropping empty items', () => {
      const config = sut({ CORS_ORIGINS: ' https://console.example ,, http://localhost:5173,' });

      expect(config.corsOrigins).toEqual(['https://console.example', 'http://localhost:5173']);
    });

    it('keeps CONSOLE_GATEWAY_URL as an origin, and leaves it unset by default', () => {
      expect(sut({ CONSOLE_GATEWAY_URL: 'http://127.0.0.1:3001/' }).consoleGatewayUrl).toBe(
        'http://127.0.0.1:3001',
      );
      expect(sut({}).consoleGatewayUrl).toBeUndefined();
    });

    it('treats an empty value as unset', () => {
      const config = sut({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '' });

      expect(config.port).toBe(3000);
      expect(config.databaseUrl).toBeUndefined();
      expect(config.logLevel).toBe('info');
    });

    it('keeps the URLs and secrets it was given', () => {
      const config = sut({
        DATABASE_URL: 'postgresql://gm:pw@db:5432/gmdesk',
        REDIS_URL: 'rediss://cache:6380',
        JWT_SECRET: 'x'.repeat(32),
      });

      expect(config).toMatchObject({
        databaseUrl: 'postgresql://gm:pw@db:5432/gmdesk',
        redisUrl: 'rediss://cache:6380',
        jwtSecret: 'x'.repeat(32),
      });
    });

    it('returns a frozen object, nested parts included', () => {
      const config = sut({});

      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.reports)).toBe(true);
      expect(Object.isFrozen(config.corsOrigins)).toBe(true);
    });
  });

  describe('bad values', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '80.5'],
      ['EMBEDDED_PG_PORT', '0'],
      ['STAFF_TOKEN_TTL_SECONDS', '30'],
      ['STAFF_SESSION_TTL_SECONDS', '60'],
      ['RATE_LIMIT_PER_MINUTE', '0'],
      ['REPORT_TARGET_COOLDOWN_SECONDS', '-1'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_URL', 'mysql://db/gmdesk'],
      ['REDIS_URL', 'http://cache'],
      ['JWT_SECRET', 'too-short'],
      ['LOG_PRETTY', 'maybe'],
      ['SEED_ON_FIRST_RUN', 'ture'],
      ['PLAYER_TOKEN_MAX_TTL_SECONDS', '10'],
      ['LOGIN_BACKOFF_AFTER_FAILURES', '0'],
      ['LOGIN_BACKOFF_BASE_SECONDS', '0'],
      ['LOGIN_BACKOFF_MAX_SECONDS', '100000'],
      ['AUTH_FAILURE_LIMIT', '0'],
      ['HTTP_HEADERS_TIMEOUT_MS', '10'],
      ['SOCKET_CONNECTIONS_PER_PRINCIPAL', '0'],
      ['SOCKET_HANDSHAKE_TIMEOUT_MS', 'soon'],
      ['CONSOLE_GATEWAY_URL', 'ws://gateway:3001'],
      ['CONSOLE_GATEWAY_URL', 'https://gateway.example/socket'],
      ['CONSOLE_GATEWAY_URL', 'https://x" onload="alert(1)'],
    ])('refuses %s=%s by name', (name, value) => {
      const error = configErrorFor({ [name]: value });

      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toContain(name);
    });

    it('refuses a login back-off cap below its first step', () => {
      const error = configErrorFor({
        LOGIN_BACKOFF_BASE_SECONDS: '60',
        LOGIN_BACKOFF_MAX_SECONDS: '30',
      });

      expect(error.problems).toEqual([
        'LOGIN_BACKOFF_MAX_SECONDS must not be less than LOGIN_BACKOFF_BASE_SECONDS',
      ]);
    });

    it('refuses a request timeout shorter than the headers timeout', () => {
      const error = configErrorFor({
        HTTP_HEADERS_TIMEOUT_MS: '20000',
        HTTP_REQUEST_TIMEOUT_MS: '10000',
      });

      expect(error.problems).toEqual([
        'HTTP_REQUEST_TIMEOUT_MS must not be shorter than HTTP_HEADERS_TIMEOUT_MS',
      ]);
    });

    it('lists every bad value in one ConfigError instead of stopping at the first', () => {
      const error = configErrorFor({
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        JWT_SECRET: 'short',
        DATABASE_URL: 'mysql://db',
        SEED_ON_FIRST_RUN: 'perhaps',
        HOST: 'localhost',
      });

      const named = ['PORT', 'LOG_LEVEL', 'JWT_SECRET', 'DATABASE_URL', 'SEED_ON_FIRST_RUN'];
      for (const name of named) {
        expect(error.problems.some((problem) => problem.includes(name))).toBe(true);
      }
      expect(error.problems.some((problem) => problem.includes('HOST'))).toBe(false);
    });

    it('puts every problem in the message, one per line', () => {
      const error = configErrorFor({ PORT: 'abc', LOG_LEVEL: 'loud' });

      expect(error.message.split('\n').slice(1)).toEqual(
        error.problems.map((problem) => `  - ${problem}`),
      );
    });

    it('never echoes a bad secret back in the message', () => {
      const error = configErrorFor({ JWT_SECRET: 'hunter2-secret' });

      expect(error.message).not.toContain('hunter2-secret');
    });

    it('ignores variables it does not know', () => {
      expect(() => sut({ SOMETHING_ELSE: 'x', PATH: '/usr/bin' })).not.toThrow();
    });
  });
});
