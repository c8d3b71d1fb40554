import type { BackgroundRole } from '@gmdesk/core';
import { WorkerModule } from './worker.module';

/** Background jobs: no transport of their own. */
export const workerRole: BackgroundRole = {
  name: 'worker',
  module: WorkerModule,
  serves: false,
};
