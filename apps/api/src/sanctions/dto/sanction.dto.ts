import {
  SANCTION_ACTIONS,
  SANCTION_ENFORCEMENT_STATUSES,
  SANCTION_TYPES,
  type ActiveSanction,
  type ActiveSanctionPage,
  type SanctionAction,
  type SanctionEnforcementStatus,
  type SanctionType,
} from '@gmdesk/contracts';
import type { IssuedSanction, SanctionDetail, SanctionView, ServerEnforcement } from '@gmdesk/core';
import {
  AccountIdField,
  BooleanField,
  CursorField,
  EnumField,
  LimitField,
  NumberField,
  RealmIdField,
  TextField,
  UuidField,
} from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';

export class IssueSanctionDto {
  @RealmIdField()
  realmId!: string;

  @AccountIdField({ description: 'The sanctioned player (game account id)' })
  playerId!: string;

  @EnumField(SANCTION_TYPES)
  type!: SanctionType;

  @TextField({
    max: 1000,
    description: 'Statement of reasons shown to the player',
    example: 'Speed hacking in Arathi Basin',
  })
  publicReason!: string;

  @TextField({ optional: true, max: 2000, description: 'Staff only' })
  privateReason?: string;

  @NumberField({
    optional: true,
    integer: true,
    min: 1,
    max: 10 * 365 * 24 * 60,
    description: 'Absent: permanent (or instantaneous for warn and kick)',
  })
  durationMinutes?: number;

  @UuidField({
    optional: true,
    description:
      'The case or ticket this sanction resolves: one of the same realm (404 ticket_not_found ' +
      'when unknown or outside your realms, 422 sanction_ticket_other_realm for another realm)',
  })
  ticketId?: string;
}

export class RevokeSanctionDto {
  @TextField({
    max: 2000,
    description: 'Why the sanction is lifted (staff only; stored and audited)',
    example: 'Appeal upheld: the speed was a server-side desync',
  })
  reason!: string;
}

/** `true` and `false` as query strings; anything else stays as is and fails validation. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListSanctionsQueryDto {
  @RealmIdField({ optional: true })
  realmId?: string;

  @AccountIdField({
    optional: true,
    description: "The sanctioned player's game account id (needs realmId)",
  })
  playerId?: string;

  @EnumField(SANCTION_TYPES, { optional: true })
  type?: SanctionType;

  @UuidField({
    optional: true,
    description: 'Sanctions issued from this case or ticket (newest first)',
  })
  ticketId?: string;

  @Transform(toBoolean)
  @BooleanField({
    optional: true,
    description:
      'true: in force now (not revoked, not expired, not a one-off warn or kick); false: the others',
  })
  active?: boolean;

  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class PageQueryDto {
  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class SanctionResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() realmId!: string;
  @ApiProperty({ description: 'Game account id' }) playerId!: string;
  @ApiProperty({ enum: SANCTION_TYPES }) type!: SanctionType;
  @ApiProperty() publicReason!: string;
  @ApiProperty({ nullable: true, type: String }) privateReason!: string | null;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ format: 'uuid' }) issuedBy!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ticketId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) revokedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokeReason!: string | null;
  @ApiProperty({ description: 'In force now: not revoked, not expired, not a one-off' })
  active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ServerEnforcementDto {
  @ApiProperty({ format: 'uuid' }) serverId!: string;
  @ApiProperty() serverName!: string;
  @ApiProperty({ enum: SANCTION_ACTIONS, nullable: true, type: String })
  action!: SanctionAction | null;
  @ApiProperty({ enum: SANCTION_ENFORCEMENT_STATUSES }) status!: SanctionEnforcementStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) ackedAt!: string | null;
  @ApiProperty({ enum: ['revoked', 'expired'], nullable: true, type: String })
  supersededBy!: 'revoked' | 'expired' | null;
}

export class SanctionDetailResponseDto extends SanctionResponseDto {
  @ApiProperty({
    type: [ServerEnforcementDto],
    description: 'Each game server of the realm and each event of this sanction it was sent',
  })
  enforcement!: ServerEnforcementDto[];
}

export class SanctionPageDto {
  @ApiProperty({ type: [SanctionResponseDto] }) items!: SanctionResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ActiveSanctionDto implements ActiveSanction {
  @ApiProperty({ format: 'uuid' }) sanctionId!: string;
  @ApiProperty({ description: 'Game account id' }) playerId!: string;
  @ApiProperty({ enum: SANCTION_TYPES }) type!: SanctionType;
  @ApiProperty() publicReason!: string;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
}

export class ActiveSanctionPageDto implements ActiveSanctionPage {
  @ApiProperty({ type: [ActiveSanctionDto] }) items!: ActiveSanctionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function toSanctionResponse({
  sanction,
  playerAccountId,
  active,
}: SanctionView | IssuedSanction): SanctionResponseDto {
  return {
    id: sanction.id,
    realmId: sanction.realmId,
    playerId: playerAccountId,
    type: sanction.type,
    publicReason: sanction.publicReason,
    privateReason: sanction.privateReason,
    startsAt: sanction.startsAt.toISOString(),
    expiresAt: iso(sanction.expiresAt),
    issuedBy: sanction.issuedBy,
    ticketId: sanction.ticketId,
    revokedAt: iso(sanction.revokedAt),
    revokedBy: sanction.revokedBy,
    revokeReason: sanction.revokeReason,
    active,
    createdAt: sanction.createdAt.toISOString(),
  };
}

export function toSanctionDetailResponse(detail: SanctionDetail): SanctionDetailResponseDto {
  return { ...toSanctionResponse(detail), enforcement: detail.enforcement.map(toEnforcementDto) };
}

function toEnforcementDto(entry: ServerEnforcement): ServerEnforcementDto {
  return {
    serverId: entry.serverId,
    serverName: entry.serverName,
    action: entry.action,
    status: entry.status,
    sentAt: iso(entry.sentAt),
    ackedAt: iso(entry.ackedAt),
    supersededBy: entry.supersededBy,
  };
}

export function toActiveSanction({ sanction, playerAccountId }: SanctionView): ActiveSanctionDto {
  return {
    sanctionId: sanction.id,
    playerId: playerAccountId,
    type: sanction.type,
    publicReason: sanction.publicReason,
    startsAt: sanction.startsAt.toISOString(),
    expiresAt: iso(sanction.expiresAt),
  };
}
