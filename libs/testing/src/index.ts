export { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV } from './harness-env';
export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { startTestApp } from './test-app';
export type { TestApp, TestAppOptions } from './test-app';
export { testConfig } from './test-config';
export { withTimeout } from './wait-for';
