import type { AppConfig } from '@gmdesk/config';
import type { Server } from 'node:http';

/**
 * Bounds how long a client may hold a connection without completing its request: the headers
 * within HTTP_HEADERS_TIMEOUT_MS, the whole request (body included) within
 * HTTP_REQUEST_TIMEOUT_MS; Node answers 408 and closes the connection. Node checks these only
 * every `connectionsCheckingInterval` (30 s by default, which let a half-sent body hold a
 * connection for minutes), so the check runs more often. Call before `listen`: Node starts the
 * check when the server starts listening.
 */
export function applyHttpServerTimeouts(server: Server, config: AppConfig): void {
  server.headersTimeout = config.httpHeadersTimeoutMs;
  server.requestTimeout = config.httpRequestTimeoutMs;
  const shortest = Math.min(config.httpHeadersTimeoutMs, config.httpRequestTimeoutMs);
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.max(250, Math.min(1000, Math.floor(shortest / 4)));
}
