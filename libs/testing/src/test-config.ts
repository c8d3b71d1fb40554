import { loadConfig, type AppConfig } from '@gmdesk/config';

type Overrides = Partial<Omit<AppConfig, 'reports' | 'chat'>> & {
  reports?: Partial<AppConfig['reports']>;
  chat?: Partial<AppConfig['chat']>;
};

/** Defaults from an empty environment, quiet logs, plus the test's overrides; never reads process.env. */
export function testConfig(overrides: Overrides = {}): AppConfig {
  const base = loadConfig({
    LOG_LEVEL: 'silent',
    LOG_PRETTY: 'false',
    SEED_ON_FIRST_RUN: 'false',
    PORT: '0',
    // Every test client is 127.0.0.1, and the authz matrix alone fails authentication hundreds of
    // times: tests of the failed-authentication limit set their own.
    AUTH_FAILURE_LIMIT: '1000000',
  });
  return Object.freeze({
    ...base,
    ...overrides,
    reports: Object.freeze({ ...base.reports, ...overrides.reports }),
    chat: Object.freeze({ ...base.chat, ...overrides.chat }),
  });
}
