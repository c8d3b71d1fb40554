export const REPORT_CATEGORIES = [
  'cheating',
  'harassment',
  'hate_speech',
  'spam',
  'rmt',
  'offensive_name',
  'griefing',
  'exploit',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** Reports in one group against one player in one realm share one case. */
export const CATEGORY_GROUPS = ['unfair_play', 'abuse', 'commerce', 'other'] as const;
export type CategoryGroup = (typeof CATEGORY_GROUPS)[number];

export const SUPPORT_CATEGORIES = [
  'stuck',
  'lost_item',
  'account',
  'billing',
  'bug',
  'other',
] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number];

export const TICKET_KINDS = ['support', 'moderation'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const TICKET_STATUSES = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const STAFF_ROLES = ['agent', 'moderator', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const MESSAGE_VISIBILITIES = ['public', 'internal'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

export const REPORT_STATUSES = ['open', 'upheld', 'rejected'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** How a resolved report ended: the case acted on it (`upheld`) or not (`rejected`). */
export const REPORT_RESOLUTIONS = ['upheld', 'rejected'] as const;
export type ReportResolution = (typeof REPORT_RESOLUTIONS)[number];

export const SANCTION_TYPES = ['warn', 'mute', 'kick', 'suspend', 'ban'] as const;
export type SanctionType = (typeof SANCTION_TYPES)[number];

/** What a game server acknowledges: that it enforced a sanction, or lifted it. */
export const SANCTION_ACTIONS = ['issued', 'revoked'] as const;
export type SanctionAction = (typeof SANCTION_ACTIONS)[number];
