import { exitWithError, FirstRunService, startProcess } from '@gmdesk/core';
import { apiRole } from './api.role';
import { printFirstRun } from './http/first-run-banner';

async function main(): Promise<void> {
  const { app, url, config } = await startProcess('api', [apiRole]);
  const credentials = config.seedOnFirstRun ? await app.get(FirstRunService).seedIfEmpty() : null;
  process.stdout.write(`gmdesk api listening on ${url} (OpenAPI: ${url}/docs)\n`);
  if (credentials) {
    printFirstRun(credentials, url);
  }
}

main().catch((error: unknown) => exitWithError('api', 'startup failed', error));
