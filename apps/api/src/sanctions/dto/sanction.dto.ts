import { SANCTION_TYPES, type SanctionType } from '@gmdesk/contracts';
import type { IssuedSanction } from '@gmdesk/core';
import { AccountIdField, EnumField, RealmIdField, TextField, UuidField } from '@gmdesk/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10 * 365 * 24 * 60)
  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    description: 'Absent: permanent (or instantaneous for warn and kick)',
  })
  durationMinutes?: number;

  @UuidField({ optional: true, description: 'The case or ticket this sanction resolves' })
  ticketId?: string;
}

export class SanctionResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() realmId!: string;
  @ApiProperty() playerId!: string;
  @ApiProperty({ enum: SANCTION_TYPES }) type!: SanctionType;
  @ApiProperty() publicReason!: string;
  @ApiProperty({ nullable: true, type: String }) privateReason!: string | null;
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ format: 'uuid' }) issuedBy!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ticketId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

export function toSanctionResponse({
  sanction,
  playerAccountId,
}: Omit<IssuedSanction, 'replayed'>): SanctionResponseDto {
  return {
    id: sanction.id,
    realmId: sanction.realmId,
    playerId: playerAccountId,
    type: sanction.type,
    publicReason: sanction.publicReason,
    privateReason: sanction.privateReason,
    startsAt: sanction.startsAt.toISOString(),
    expiresAt: sanction.expiresAt?.toISOString() ?? null,
    issuedBy: sanction.issuedBy,
    ticketId: sanction.ticketId,
    revokedAt: sanction.revokedAt?.toISOString() ?? null,
  };
}
