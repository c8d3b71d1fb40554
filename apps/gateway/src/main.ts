import { exitWithError, startProcess } from '@gmdesk/core';
import { gatewayRole } from './gateway.role';

async function main(): Promise<void> {
  // The api owns migrations (the gateway role does not own the schema): it only needs answers.
  const { url } = await startProcess('gateway', [gatewayRole]);
  process.stdout.write(`gmdesk gateway listening on ${url}\n`);
}

main().catch((error: unknown) => exitWithError('gateway', 'startup failed', error));
