import { printFirstRun } from '@gmdesk/api';
import { exitWithError, FirstRunService, startProcess } from '@gmdesk/core';
import { PLATFORM_ROLES } from './platform';

/**
 * `npm start`: api, gateway and worker in one process on one port, on embedded PostgreSQL when
 * DATABASE_URL is unset. Production runs the same roles as separate processes.
 */
async function main(): Promise<void> {
  const { app, url, config, embeddedDatabase } = await startProcess('platform', PLATFORM_ROLES);
  const credentials = config.seedOnFirstRun ? await app.get(FirstRunService).seedIfEmpty() : null;
  process.stdout.write(
    [
      '',
      `gmdesk is running on ${url}`,
      `  Console      ${url}/console`,
      `  REST API     ${url}`,
      `  OpenAPI      ${url}/docs`,
      `  Sockets      ${url.replace(/^http/, 'ws')}  (socket.io namespaces /game, /player, /staff)`,
      `  Health       ${url}/health/ready`,
      `  Database     ${embeddedDatabase ? `embedded PostgreSQL in ${config.dataDir}/postgres` : 'DATABASE_URL'}`,
      '',
    ].join('\n'),
  );
  if (credentials) {
    printFirstRun(credentials, url);
  } else {
    process.stdout.write('  (first-run credentials were printed when this database was created)\n');
  }
}

main().catch((error: unknown) => exitWithError('platform', 'startup failed', error));
