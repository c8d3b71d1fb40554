import type { ReportResolution, TicketStatus } from '@gmdesk/contracts';
import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '../common/domain-error';
import { Page } from '../common/page';
import { PlayerPrincipal, StaffPrincipal } from '../common/principal';
import { PlayerEntity } from '../players/player.entity';
import { PlayersService } from '../players/players.service';
import { ReportEntity } from '../reports/report.entity';
import { ReportsService } from '../reports/reports.service';
import { TicketMessageEntity } from '../tickets/ticket-message.entity';
import { TicketEntity } from '../tickets/ticket.entity';
import type { TicketListRow } from '../tickets/tickets.repository';
import {
  AddMessageInput,
  ListTicketsInput,
  OpenSupportTicketInput,
  TicketsService,
  UpdateTicketInput,
} from '../tickets/tickets.service';

/** What responses show of a player: the game's account id and the display name. */
export type PlayerRef = Pick<PlayerEntity, 'accountId' | 'displayName'>;

/** Resolves internal player ids to the players (account ids, names) responses show. */
export type PlayerDirectory = ReadonlyMap<string, PlayerRef>;

export interface TicketView {
  readonly ticket: TicketEntity;
  readonly players: PlayerDirectory;
  readonly replayed?: boolean;
}

export interface MessageView {
  readonly message: TicketMessageEntity;
  readonly players: PlayerDirectory;
}

export interface TicketDetail {
  readonly ticket: TicketEntity;
  readonly messages: TicketMessageEntity[];
  /** Staff only: the reports attached to a moderation case. */
  readonly reports: ReportEntity[];
  readonly players: PlayerDirectory;
}

export interface TicketListing {
  readonly page: Page<TicketEntity>;
  readonly players: PlayerDirectory;
}

/**
 * Read models that span tickets, reports and players, and the status change that closes a case
 * and resolves its reports. Kept out of TicketsService so that the tickets domain does not depend
 * on reports (reports already depend on tickets for cases).
 */
@Injectable()
export class TicketViewService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly reports: ReportsService,
    private readonly players: PlayersService,
  ) {}

  async detail(viewer: PlayerPrincipal | StaffPrincipal, ticketId: string): Promise<TicketDetail> {
    const ticket = await this.tickets.getVisible(viewer, ticketId);
    const [messages, reports] = await Promise.all([
      this.tickets.listMessages(viewer, ticket),
      viewer.kind === 'staff' && ticket.kind === 'moderation'
        ? this.reports.listForCase(viewer, ticket.id)
        : Promise.resolve([]),
    ]);
    // The ticket and its messages come with their players' names; only reports need a look-up.
    const players = new Map<string, PlayerRef>(
      reports.length > 0
        ? await this.directory(
            reports.flatMap((report) => [report.reporterPlayerId, report.reportedPlayerId]),
          )
        : [],
    );
    addListedPlayers(players, [ticket]);
    for (const message of messages) {
      if (message.authorPlayerId && message.authorAccountId !== null) {
        players.set(message.authorPlayerId, {
          accountId: message.authorAccountId,
          displayName: message.authorDisplayName,
        });
      }
    }
    return { ticket, messages, reports, players };
  }

  async list(
    viewer: PlayerPrincipal | StaffPrincipal,
    input: ListTicketsInput,
  ): Promise<TicketListing> {
    const page = await this.tickets.list(viewer, input);
    // The listing joins the names in: no second query.
    const players = new Map<string, PlayerRef>();
    addListedPlayers(players, page.items);
    return { page, players };
  }

  async openSupportTicket(
    player: PlayerPrincipal,
    input: OpenSupportTicketInput,
    idempotencyKey?: string,
  ): Promise<TicketView> {
    const { ticket, requester, replayed } = await this.tickets.openSupportTicket(
      player,
      input,
      idempotencyKey,
    );
    return requester
      ? { ticket, players: new Map([[requester.id, requester]]), replayed }
      : { ...(await this.present(ticket)), replayed };
  }

  async addMessage(
    author: PlayerPrincipal | StaffPrincipal,
    ticketId: string,
    input: AddMessageInput,
    idempotencyKey?: string,
  ): Promise<MessageView & { readonly replayed: boolean }> {
    const { message, replayed } = await this.tickets.addMessage(
      author,
      ticketId,
      input,
      idempotencyKey,
    );
    return { message, replayed, players: await this.directory([message.authorPlayerId]) };
  }

  async assign(
    actor: StaffPrincipal,
    ticketId: string,
    assigneeId: string | null,
  ): Promise<TicketView> {
    return this.present(await this.tickets.assign(actor, ticketId, assigneeId));
  }

  /**
   * Moves a ticket along its lifecycle; solving or closing a moderation case resolves its open
   * reports in the same transaction (ReportsService.resolveCase), with the outcome staff chose
   * (`reportOutcome`) or the one its sanctions imply.
   */
  async changeStatus(
    actor: StaffPrincipal,
    ticketId: string,
    status: TicketStatus,
    reportOutcome?: ReportResolution,
  ): Promise<TicketView> {
    if (reportOutcome !== undefined) {
      // The kind never changes, so it can be read before the status change's transaction.
      const ticket = await this.tickets.getVisible(actor, ticketId);
      if (ticket.kind !== 'moderation' || (status !== 'solved' && status !== 'closed')) {
        throw new CommonError(
          CommonErrorCode.ValidationFailed,
          'reportOutcome applies only when solving or closing a moderation case.',
          [
            {
              field: 'reportOutcome',
              problem: 'is only allowed with status solved or closed on a moderation case',
            },
          ],
        );
      }
    }
    const ticket = await this.tickets.changeStatus(actor, ticketId, status, (caseTicket, manager) =>
      this.reports.resolveCase(actor, caseTicket, reportOutcome, manager),
    );
    return this.present(ticket);
  }

  async update(
    actor: StaffPrincipal,
    ticketId: string,
    input: UpdateTicketInput,
  ): Promise<TicketView> {
    return this.present(await this.tickets.update(actor, ticketId, input));
  }

  private async present(ticket: TicketEntity): Promise<TicketView> {
    return {
      ticket,
      players: await this.directory([ticket.requesterPlayerId, ticket.subjectPlayerId]),
    };
  }

  private directory(ids: readonly (string | null)[]): Promise<PlayerDirectory> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    return this.players.findByIds(wanted).then((rows) => new Map(rows.map((row) => [row.id, row])));
  }
}

/** Adds the requester and subject player a listed ticket row carries. */
function addListedPlayers(players: Map<string, PlayerRef>, rows: readonly TicketListRow[]): void {
  for (const row of rows) {
    if (row.requesterPlayerId && row.requesterAccountId !== null) {
      players.set(row.requesterPlayerId, {
        accountId: row.requesterAccountId,
        displayName: row.requesterDisplayName,
      });
    }
    if (row.subjectPlayerId && row.subjectAccountId !== null) {
      players.set(row.subjectPlayerId, {
        accountId: row.subjectAccountId,
        displayName: row.subjectDisplayName,
      });
    }
  }
}
