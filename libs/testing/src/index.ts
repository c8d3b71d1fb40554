export { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV } from './harness-env';
export { TEST_REDIS_URL, describeWithRedis, redisAnswersSync } from './redis-availability';
export {
  connectSocket,
  emitAck,
  expectConnectError,
  waitForDisconnect,
  waitForEvent,
} from './socket-helpers';
export type { AckBody, ConnectOptions } from './socket-helpers';
export { startTestApp, startTestContext } from './test-app';
export type { TestApp, TestAppOptions, TestContext } from './test-app';
export { testConfig } from './test-config';
export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { withTimeout } from './wait-for';
