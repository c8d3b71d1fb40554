import type { TicketKind, TicketPriority } from '@gmdesk/contracts';

const HOUR = 3600_000;

/** Hours to first public staff response and to resolution, per priority. */
const SUPPORT_SLA: Record<TicketPriority, { firstResponse: number; resolution: number }> = {
  urgent: { firstResponse: 1, resolution: 8 },
  high: { firstResponse: 4, resolution: 24 },
  normal: { firstResponse: 24, resolution: 72 },
  low: { firstResponse: 72, resolution: 168 },
};

/** Moderation cases have no one waiting for a reply, only a resolution target. */
const MODERATION_RESOLUTION_HOURS: Record<TicketPriority, number> = {
  urgent: 2,
  high: 12,
  normal: 48,
  low: 120,
};

export interface SlaDueTimes {
  readonly firstResponseDueAt: Date | null;
  readonly resolutionDueAt: Date;
}

export function slaDueTimes(
  kind: TicketKind,
  priority: TicketPriority,
  openedAt: Date,
): SlaDueTimes {
  const start = openedAt.getTime();
  if (kind === 'moderation') {
    return {
      firstResponseDueAt: null,
      resolutionDueAt: new Date(start + MODERATION_RESOLUTION_HOURS[priority] * HOUR),
    };
  }
  const sla = SUPPORT_SLA[priority];
  return {
    firstResponseDueAt: new Date(start + sla.firstResponse * HOUR),
    resolutionDueAt: new Date(start + sla.resolution * HOUR),
  };
}
