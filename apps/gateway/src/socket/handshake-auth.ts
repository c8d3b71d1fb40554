import type { AppConfig } from '@gmdesk/config';
import { streams } from '@gmdesk/contracts';
import { AuthService, decodeClaims, DomainError, StaffService, type Principal } from '@gmdesk/core';
import { countsAsFailedAuthentication } from '@gmdesk/dto';
import type { SessionRegistry } from './session-registry';
import type { GatewaySocket } from './socket-session';

export type NamespaceKind = 'game' | 'player' | 'staff';

/**
 * The `connect_error` a client receives: `err.message` plus `err.data = { code, message, retry }`
 * (and `retryAfterMs` when waiting helps).
 */
export class HandshakeError extends Error {
  readonly data: { code: string; message: string; retry: boolean; retryAfterMs?: number };

  constructor(code: string, message: string, retry = false, retryAfterMs?: number) {
    super(message);
    this.data = { code, message, retry, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
}

const EXPECTED_KIND: Record<NamespaceKind, Principal['kind']> = {
  game: 'game_server',
  player: 'player',
  staff: 'staff',
};

function credentialOf(kind: NamespaceKind, auth: Record<string, unknown>): string | undefined {
  const value = kind === 'game' ? auth['apiKey'] : auth['token'];
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 ? value : undefined;
}

/**
 * Namespace middleware: runs at the handshake, before the connection exists (Nest guards do not
 * run there). A browser's Origin must be allowed; the credential must fit the namespace; the
 * verified principal is put on `socket.data` for the handlers.
 */
export function handshakeAuth(
  kind: NamespaceKind,
  deps: { auth: AuthService; staff: StaffService; config: AppConfig; sessions: SessionRegistry },
): (socket: GatewaySocket, next: (error?: Error) => void) => void {
  return (socket, rawNext) => {
    const address = socket.handshake.address;
    const next = (error?: HandshakeError): void => {
      // The same rule as REST (libs/dto): not an expired token, a foreign Origin or namespace.
      if (error && countsAsFailedAuthentication(error.data.code)) {
        deps.sessions.failedHandshakes.recordFailure(address);
      }
      rawNext(error);
    };
    const blockedForMs = deps.sessions.failedHandshakes.blockedForMs(address);
    if (blockedForMs > 0) {
      rawNext(
        new HandshakeError(
          'rate_limited',
          'Too many failed authentications from your address; wait before trying again.',
          true,
          blockedForMs,
        ),
      );
      return;
    }
    const origin = socket.handshake.headers.origin;
    if (
      origin !== undefined &&
      !deps.config.corsOrigins.includes(origin) &&
      !isSameOrigin(origin, socket.handshake.headers.host)
    ) {
      next(new HandshakeError('origin_forbidden', `Origin ${origin} is not allowed.`));
      return;
    }
    const credential = credentialOf(kind, socket.handshake.auth ?? {});
    if (!credential) {
      const field = kind === 'game' ? 'auth.apiKey' : 'auth.token';
      next(
        new HandshakeError('unauthenticated', `Send your credential in the handshake as ${field}.`),
      );
      return;
    }
    const admit = async (): Promise<HandshakeError | undefined> => {
      const principal = await authenticate(kind, credential, deps);
      socket.data.principal = principal;
      socket.data.stream = streamOf(principal);
      if (principal.kind === 'player') {
        socket.data.expiresAt = principal.expiresAt;
        socket.data.displayName = principal.displayName ?? principal.accountId;
      } else if (principal.kind === 'staff') {
        const staff = await deps.staff.get(principal.staffId);
        socket.data.displayName = staff.displayName;
        const exp = decodeClaims(credential)?.exp;
        socket.data.expiresAt = typeof exp === 'number' ? new Date(exp * 1000) : undefined;
      }
      if (!deps.sessions.reserveConnection(kind, socket)) {
        const max = deps.config.socketConnectionsPerPrincipal;
        return new HandshakeError(
          'too_many_connections',
          `You already hold ${max} connections to /${kind}; close one first.`,
          true,
        );
      }
      return undefined;
    };
    // One catch for every step, so that no failure leaves the handshake hanging.
    admit().then(next, (error: unknown) => {
      if (error instanceof HandshakeError) {
        next(error);
      } else if (error instanceof DomainError) {
        const code = (error as DomainError<string>).code;
        next(new HandshakeError(code, error.message));
      } else {
        next(new HandshakeError('internal', 'Authentication failed unexpectedly.', true));
      }
    });
  };
}

async function authenticate(
  kind: NamespaceKind,
  credential: string,
  deps: { auth: AuthService },
): Promise<Principal> {
  const principal =
    kind === 'game'
      ? await deps.auth.authenticateApiKey(credential)
      : await deps.auth.authenticateBearer(credential);
  if (principal.kind !== EXPECTED_KIND[kind]) {
    throw new HandshakeError('forbidden', `This credential cannot connect to /${kind}.`);
  }
  return principal;
}

/**
 * A page served by this very host (the staff console at /console) may always connect: a browser
 * sets both Origin and Host, and another site cannot make them agree. The scheme is not compared,
 * since TLS usually ends at a proxy in front of the gateway.
 */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) {
    return false;
  }
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

export function streamOf(principal: Principal): string {
  switch (principal.kind) {
    case 'player':
      return streams.player(principal.realmId, principal.accountId);
    case 'game_server':
      return streams.gameServer(principal.serverId);
    case 'staff':
      return streams.staff();
  }
}
