import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import {
  EPHEMERAL_EVENTS,
  rooms,
  streams,
  type ColleagueTypingEvent,
  type PresenceEvent,
} from '@gmdesk/contracts';
import {
  Allow,
  AuthService,
  RealmsService,
  StaffService,
  TicketsService,
  type StaffPrincipal,
} from '@gmdesk/core';
import type { StoredEvent } from '@gmdesk/delivery';
import { createValidationPipe } from '@gmdesk/dto';
import { Inject, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { StreamDispatcher } from '../delivery/stream-dispatcher';
import {
  QueueWatchPayloadDto,
  StaffTypingPayloadDto,
  TicketRefPayloadDto,
} from '../dto/payloads.dto';
import { NamespaceGateway } from '../socket/namespace-gateway';
import { SessionRegistry } from '../socket/session-registry';
import { SocketPolicyGuard } from '../socket/socket-policy.guard';
import { SocketRateLimitInterceptor } from '../socket/socket-rate-limit.interceptor';
import type { GatewaySocket } from '../socket/socket-session';
import { WsAckFilter } from '../socket/ws-ack.filter';

type EventWithRealm = { realmId?: unknown; kind?: unknown; category?: unknown };

/** The staff console: the live queue, who is looking at which ticket, and typing indicators. */
@WebSocketGateway({ namespace: '/staff' })
@UseFilters(WsAckFilter)
@UseGuards(SocketPolicyGuard)
@Allow('agent')
@UsePipes(createValidationPipe())
@UseInterceptors(SocketRateLimitInterceptor)
export class StaffGateway extends NamespaceGateway {
  @WebSocketServer()
  private readonly namespace!: Namespace;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    auth: AuthService,
    staff: StaffService,
    dispatcher: StreamDispatcher,
    sessions: SessionRegistry,
    private readonly tickets: TicketsService,
    private readonly realms: RealmsService,
  ) {
    super('staff', { config, auth, staff, dispatcher, sessions });
  }

  override handleDisconnect(socket: GatewaySocket): void {
    super.handleDisconnect(socket);
    // socket.io has already removed it from its rooms: tell the viewers of those tickets.
    for (const ticketId of socket.data.watching ?? []) {
      // Best effort: with a peer gateway just gone, fetchSockets can time out; never crash on it.
      this.broadcastPresence(ticketId).catch((error: unknown) =>
        this.logger.warn({ err: error, ticketId }, 'could not update presence'),
      );
    }
  }

  @SubscribeMessage('queue.watch')
  async watchQueue(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: QueueWatchPayloadDto,
  ) {
    // A realm outside the staff member's realms is "not found", as on REST and for ticket.watch
    // (its events would be filtered out anyway: an accepted watch of it only looked granted).
    if (body.realmId !== undefined) {
      await this.realms.requireRealmFor(staffOf(socket), body.realmId);
    }
    const coverage = this.filterFor(socket);
    await this.deps.dispatcher.setFilter(socket, (event) => {
      const data = event.payload as EventWithRealm;
      return (
        coverage(event) &&
        (body.realmId === undefined || data.realmId === body.realmId) &&
        (body.kind === undefined || data.kind === undefined || data.kind === body.kind) &&
        (body.category === undefined ||
          data.category === undefined ||
          data.category === body.category)
      );
    });
    return { ok: true, filters: body } as const;
  }

  @SubscribeMessage('ticket.watch')
  async watchTicket(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: TicketRefPayloadDto,
  ) {
    // Authorization first: a ticket outside the staff member's realms is "not found".
    await this.tickets.getVisible(staffOf(socket), body.ticketId);
    await (socket as unknown as Socket).join(rooms.ticketViewers(body.ticketId));
    (socket.data.watching ??= new Set()).add(body.ticketId);
    const presence = await this.broadcastPresence(body.ticketId);
    return { ok: true, presence } as const;
  }

  @SubscribeMessage('ticket.unwatch')
  async unwatchTicket(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: TicketRefPayloadDto,
  ) {
    // The same check as ticket.watch: outside the staff member's realms, the ticket is not found
    // (and no presence is broadcast to its viewers on their behalf).
    await this.tickets.getVisible(staffOf(socket), body.ticketId);
    await (socket as unknown as Socket).leave(rooms.ticketViewers(body.ticketId));
    socket.data.watching?.delete(body.ticketId);
    await this.broadcastPresence(body.ticketId);
    return { ok: true } as const;
  }

  @SubscribeMessage('typing')
  async typing(
    @ConnectedSocket() socket: GatewaySocket,
    @MessageBody() body: StaffTypingPayloadDto,
  ) {
    const staff = staffOf(socket);
    const requester = await this.tickets.findRequester(staff, body.ticketId);
    // The other staff viewing the ticket (they passed ticket.watch's realm check); not this
    // connection itself. Another tab of the same GM gets it too: the console skips its own id.
    const colleague: ColleagueTypingEvent = {
      ticketId: body.ticketId,
      staffId: staff.staffId,
      displayName: socket.data.displayName ?? staff.displayName ?? staff.staffId,
      internal: body.internal === true,
    };
    (socket as unknown as Socket)
      .to(rooms.ticketViewers(body.ticketId))
      .emit(EPHEMERAL_EVENTS.staffTyping, colleague);
    // A note in the making is none of the player's business.
    if (requester && body.internal !== true) {
      // Ephemeral: straight to the player's room on whichever gateway holds them; never stored.
      this.namespace.server
        .of('/player')
        .to(streams.player(requester.realmId, requester.accountId))
        .emit(EPHEMERAL_EVENTS.staffTyping, { ticketId: body.ticketId });
    }
    return { ok: true } as const;
  }

  /** Staff see events of the realms they work in. */
  protected override filterFor(socket: GatewaySocket): (event: StoredEvent) => boolean {
    const realms = staffOf(socket).realms;
    if (realms.length === 0) {
      return () => true;
    }
    return (event) => {
      const realmId = (event.payload as EventWithRealm).realmId;
      return typeof realmId !== 'string' || realms.includes(realmId);
    };
  }

  /** Who is viewing the ticket, across every gateway process (fetchSockets asks the adapter). */
  private async broadcastPresence(ticketId: string): Promise<PresenceEvent> {
    const room = rooms.ticketViewers(ticketId);
    const sockets = await this.namespace.in(room).fetchSockets();
    const viewers = new Map<string, string>();
    for (const remote of sockets) {
      const data = remote.data as GatewaySocket['data'];
      if (data.principal.kind === 'staff') {
        viewers.set(data.principal.staffId, data.displayName ?? data.principal.staffId);
      }
    }
    const presence: PresenceEvent = {
      ticketId,
      viewers: [...viewers].map(([staffId, displayName]) => ({ staffId, displayName })),
    };
    this.namespace.to(room).emit(EPHEMERAL_EVENTS.presence, presence);
    return presence;
  }
}

function staffOf(socket: GatewaySocket): StaffPrincipal {
  return socket.data.principal as StaffPrincipal;
}
