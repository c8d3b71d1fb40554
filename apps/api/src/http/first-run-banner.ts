import type { FirstRunCredentials } from '@gmdesk/core';

/**
 * Printed once, on the run that created them, straight to stdout (not through the logger, so log
 * shipping never stores them). Only hashes are kept: lose them and create new ones.
 */
export function printFirstRun(credentials: FirstRunCredentials, url: string): void {
  const lines = [
    '',
    '================ gmdesk first run: save these now, they are shown only once ================',
    `  Staff console login     admin / ${credentials.adminPassword}`,
    `                          curl -s ${url}/auth/login -H 'content-type: application/json' \\`,
    `                            -d '{"username":"admin","password":"${credentials.adminPassword}"}'`,
    `  Demo realm              ${credentials.realmId}`,
    `  Player-token secret     ${credentials.playerTokenSecret}`,
    `                          (the game backend signs player tokens with it: npm run token -- --player <id> --realm ${credentials.realmId})`,
    `  Game-server API key     ${credentials.gameServerApiKey}`,
    `                          (send as: Authorization: ApiKey <key>)`,
    '=============================================================================================',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
