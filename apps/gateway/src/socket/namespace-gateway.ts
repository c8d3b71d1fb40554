import type { AppConfig } from '@gmdesk/config';
import { CLIENT_EVENTS, type ResumeAck } from '@gmdesk/contracts';
import { AuthService, StaffService } from '@gmdesk/core';
import type { StoredEvent } from '@gmdesk/delivery';
import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { StreamDispatcher } from '../delivery/stream-dispatcher';
import { ResumeDto } from '../dto/payloads.dto';
import { handshakeAuth, type NamespaceKind } from './handshake-auth';
import { SessionRegistry } from './session-registry';
import type { GatewaySocket } from './socket-session';

/** How long a connection may go without `resume` before it gets live events anyway. */
const RESUME_GRACE_MS = 10_000;

export interface NamespaceDeps {
  readonly config: AppConfig;
  readonly auth: AuthService;
  readonly staff: StaffService;
  readonly dispatcher: StreamDispatcher;
  readonly sessions: SessionRegistry;
}

/**
 * What the three namespaces share: handshake authentication, session tracking (expiry,
 * revocation), durable delivery of the principal's stream, and an error ack for unknown events.
 * Subclasses add their @SubscribeMessage handlers.
 */
export abstract class NamespaceGateway {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly knownEvents: ReadonlySet<string>;

  protected constructor(
    private readonly kind: NamespaceKind,
    protected readonly deps: NamespaceDeps,
  ) {
    this.knownEvents = new Set<string>(CLIENT_EVENTS[kind]);
  }

  afterInit(namespace: Namespace): void {
    namespace.use(handshakeAuth(this.kind, this.deps));
    // Registered at the handshake, before the client can send anything: `resume` waits on it.
    namespace.use((socket, next) => {
      const session = socket as unknown as GatewaySocket;
      session.data.attached = this.deps.dispatcher
        .attach(session, this.filterFor(session))
        .catch((error: unknown) =>
          this.logger.error({ err: error }, 'could not register a socket for delivery'),
        );
      next();
    });
  }

  /** One listener shared by every socket of the namespace (no per-connection closures). */
  private readonly answerUnknownEvents = (event: string, ...args: unknown[]): void => {
    const ack = args.at(-1);
    if (!this.knownEvents.has(event) && typeof ack === 'function') {
      (ack as (body: unknown) => void)({
        ok: false,
        error: {
          code: 'unknown_event',
          message: `/${this.kind} has no event "${event}".`,
          details: { known: [...this.knownEvents] },
        },
      });
    }
  };

  async handleConnection(socket: GatewaySocket): Promise<void> {
    const raw = socket as unknown as Socket;
    raw.onAny(this.answerUnknownEvents);
    this.deps.sessions.track(socket);
    setTimeout(() => this.deps.dispatcher.startLiveWithoutResume(socket), RESUME_GRACE_MS).unref();
    // The player's own room carries ephemeral events (typing) from any gateway via the adapter.
    await raw.join(socket.data.stream);
  }

  /** Every namespace replays its stream the same way (DESIGN §4). */
  @SubscribeMessage('resume')
  resume(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: ResumeDto,
  ): Promise<ResumeAck> {
    return this.deps.dispatcher.resume(socket, body);
  }

  handleDisconnect(socket: GatewaySocket): void {
    socket.data.closed = true;
    this.deps.sessions.untrack(socket);
    this.deps.dispatcher.detach(socket);
  }

  /** Which events of its stream a socket receives; all by default. */
  protected filterFor(_socket: GatewaySocket): (event: StoredEvent) => boolean {
    return () => true;
  }
}
