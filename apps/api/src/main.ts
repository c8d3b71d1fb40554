import { exitWithError, FirstRunService } from '@gmdesk/core';
import { ApiModule } from './api.module';
import { printFirstRun } from './http/first-run-banner';
import { startHttpApp } from './http/start-http-app';

async function main(): Promise<void> {
  const { app, url, config } = await startHttpApp('api', [ApiModule]);
  const credentials = config.seedOnFirstRun ? await app.get(FirstRunService).seedIfEmpty() : null;
  process.stdout.write(`gmdesk api listening on ${url} (OpenAPI: ${url}/docs)\n`);
  if (credentials) {
    printFirstRun(credentials, url);
  }
}

main().catch((error: unknown) => exitWithError('api', 'startup failed', error));
