import { exitWithError, startProcess } from '@gmdesk/core';
import { workerRole } from './worker.role';

async function main(): Promise<void> {
  // The api owns migrations (the worker role does not own the schema): it only needs answers.
  await startProcess('worker', [workerRole]);
  process.stdout.write('gmdesk worker running\n');
}

main().catch((error: unknown) => exitWithError('worker', 'startup failed', error));
