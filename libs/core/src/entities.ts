import { AuditEntryEntity } from './audit/audit-entry.entity';
import { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
import { PlayerEntity } from './players/player.entity';
import { GameServerEntity } from './realms/game-server.entity';
import { RealmEntity } from './realms/realm.entity';
import { ReportEntity } from './reports/report.entity';
import { SanctionEntity } from './sanctions/sanction.entity';
import { PlatformSettingEntity } from './setup/platform-setting.entity';
import { StaffEntity } from './staff/staff.entity';
import { TicketMessageEntity } from './tickets/ticket-message.entity';
import { TicketEntity } from './tickets/ticket.entity';

/** Every entity, listed explicitly (no globs) for the one DataSource definition in libs/db. */
export const CORE_ENTITIES = [
  AuditEntryEntity,
  GameServerEntity,
  IdempotencyKeyEntity,
  PlatformSettingEntity,
  PlayerEntity,
  RealmEntity,
  ReportEntity,
  SanctionEntity,
  StaffEntity,
  TicketEntity,
  TicketMessageEntity,
];
