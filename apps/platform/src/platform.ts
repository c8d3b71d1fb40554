import { apiRole } from '@gmdesk/api';
import { gatewayRole } from '@gmdesk/gateway';
import { workerRole } from '@gmdesk/worker';

/**
 * `npm start`: api, gateway and worker in one process on one port. The test harness composes
 * exactly this list (test/e2e/platform-sockets.e2e-spec.ts), so what is tested is what runs.
 */
export const PLATFORM_ROLES = [apiRole, gatewayRole, workerRole] as const;
