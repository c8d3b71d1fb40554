export type { AuditEntryEntity } from './audit/audit-entry.entity';
export { AuditModule } from './audit/audit.module';
export { AuditService } from './audit/audit.service';
export { AuthModule } from './auth/auth.module';
export { AuthService } from './auth/auth.service';
export type {
  LoginClient,
  LogoutScope,
  PlayerTokenRecheck,
  StaffSession,
} from './auth/auth.service';
export { decodeClaims } from './auth/hs256';
export {
  bootRuntime,
  composeApp,
  exitGracefullyOnSignals,
  exitWithError,
  startProcess,
} from './boot';
export type {
  BackgroundRole,
  BootedRuntime,
  ComposedApp,
  ProcessRole,
  ServingRole,
  StartedProcess,
} from './boot';
export { CaseworkModule } from './casework/casework.module';
export { TicketViewService } from './casework/ticket-view.service';
export type {
  MessageView,
  PlayerDirectory,
  TicketDetail,
  TicketListing,
  TicketView,
} from './casework/ticket-view.service';
export { MAX_CHAT_BODY_CHARACTERS, MAX_CHAT_LINES_PER_BATCH } from './chat/chat-line';
export { ChatPartitionsService } from './chat/chat-partitions.service';
export type { PartitionRound, RetentionRound } from './chat/chat-partitions.service';
export type { ChatMessageRow } from './chat/chat-search.repository';
export { ChatSearchService } from './chat/chat-search.service';
export { ChatError, ChatErrorCode } from './chat/chat.errors';
export { ChatModule } from './chat/chat.module';
export { ChatService } from './chat/chat.service';
export type { ChatBatchResult } from './chat/chat.service';
export { ALLOW_KEY, Allow, PUBLIC_KEY, Public, isAdmitted } from './common/access-policy';
export type { Audience } from './common/access-policy';
export {
  CommonError,
  CommonErrorCode,
  DomainError,
  RateLimitedError,
  RetryLaterError,
  UnauthenticatedError,
  UnavailableError,
  asUnavailableError,
} from './common/domain-error';
export type { Page } from './common/page';
export { hasRoleAtLeast, principalKey } from './common/principal';
export type {
  GameServerPrincipal,
  PlayerPrincipal,
  Principal,
  StaffPrincipal,
} from './common/principal';
export { currentRequestId, runInRequestContext } from './common/request-context';
export { CORE_ENTITIES } from './entities';
export { IdempotencyModule } from './idempotency/idempotency.module';
export { IdempotencyService } from './idempotency/idempotency.service';
export { ClientEventsService, ticketSummary } from './notifications/client-events.service';
export { NotificationsModule } from './notifications/notifications.module';
export { RevocationBus } from './notifications/revocation-bus';
export type { RevocationSubject } from './notifications/revocation-bus';
export type { PlayerEntity } from './players/player.entity';
export { PlayerError, PlayerErrorCode } from './players/players.errors';
export { PlayersModule } from './players/players.module';
export { PlayersService } from './players/players.service';
export type { GameServerEntity } from './realms/game-server.entity';
export type { RealmEntity } from './realms/realm.entity';
export { RealmError, RealmErrorCode } from './realms/realms.errors';
export { RealmsModule } from './realms/realms.module';
export { MAX_SECRET_OVERLAP_SECONDS, RealmsService } from './realms/realms.service';
export type {
  CreatedGameServer,
  CreatedRealm,
  PlayerTokenSecrets,
  RotatedPlayerTokenSecret,
} from './realms/realms.service';
export type { ReportEntity, ReportLocation } from './reports/report.entity';
export { ReportError, ReportErrorCode, ReportRateLimitedError } from './reports/reports.errors';
export { ReportsModule } from './reports/reports.module';
export { ReportsService } from './reports/reports.service';
export type {
  FileReportInput,
  FiledReport,
  ListReportsInput,
  PlayerMap,
  ReportListing,
  ReportView,
} from './reports/reports.service';
export { DATABASE_URL, RuntimeModule } from './runtime.module';
export type { RuntimeOptions } from './runtime.module';
export type { SanctionEntity } from './sanctions/sanction.entity';
export { SanctionError, SanctionErrorCode } from './sanctions/sanctions.errors';
export { SanctionsModule } from './sanctions/sanctions.module';
export { SanctionsService } from './sanctions/sanctions.service';
export type {
  IssueSanctionInput,
  IssuedSanction,
  ListSanctionsInput,
  SanctionCatchUp,
  SanctionDetail,
  SanctionView,
  ServerEnforcement,
} from './sanctions/sanctions.service';
export { DEMO_REALM_ID, FirstRunService } from './setup/first-run.service';
export type { FirstRunCredentials } from './setup/first-run.service';
export { SetupModule } from './setup/setup.module';
export type { StaffEntity } from './staff/staff.entity';
export { StaffError, StaffErrorCode } from './staff/staff.errors';
export { StaffModule } from './staff/staff.module';
export { StaffService } from './staff/staff.service';
export { allowedTransitions, canTransition } from './tickets/ticket-lifecycle';
export type { TicketMessageEntity } from './tickets/ticket-message.entity';
export { CATEGORY_GROUP, assessCase } from './tickets/ticket-priority';
export { slaDueTimes } from './tickets/ticket-sla';
export type { TicketEntity } from './tickets/ticket.entity';
export { TicketError, TicketErrorCode } from './tickets/tickets.errors';
export { TicketsModule } from './tickets/tickets.module';
export { TicketsService } from './tickets/tickets.service';
export type {
  AddMessageInput,
  ListTicketsInput,
  OpenSupportTicketInput,
  UpdateTicketInput,
} from './tickets/tickets.service';
