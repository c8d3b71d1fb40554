import type { PlayerEntity } from '@gmdesk/core';
import {
  AccountIdField,
  CursorField,
  LimitField,
  RealmIdField,
  TextField,
  TimestampField,
} from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';

export class PlayerParams {
  @RealmIdField()
  realmId!: string;

  @AccountIdField()
  accountId!: string;
}

export class UpsertPlayerDto {
  @TextField({ optional: true, max: 64, example: 'Grimbold' })
  displayName?: string;

  @TextField({
    optional: true,
    max: 16,
    pattern: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/,
    patternMessage: 'must be a language tag like en or pt-BR',
    example: 'en',
  })
  language?: string;

  @TimestampField({
    optional: true,
    description:
      'When the game created the account (not in the future, not before 2000). Brigading ' +
      'detection counts accounts younger than a day as new; without it, the first time gmdesk ' +
      'saw the player counts.',
  })
  accountCreatedAt?: string;
}

export class ReportBanDto {
  @TimestampField({ description: 'Until when the player may not file reports' })
  until!: string;

  @TextField({ max: 500, example: 'Filed dozens of false reports against one guild' })
  reason!: string;
}

export class PlayerResponseDto {
  @ApiProperty() realmId!: string;
  @ApiProperty() accountId!: string;
  @ApiProperty({ nullable: true, type: String }) displayName!: string | null;
  @ApiProperty({ nullable: true, type: String }) language!: string | null;
  @ApiProperty({ description: "0..1; how much weight this player's reports carry" })
  reportCredibility!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) reportBannedUntil!:
    string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  accountCreatedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
}

export function toPlayerResponse(player: PlayerEntity): PlayerResponseDto {
  return {
    realmId: player.realmId,
    accountId: player.accountId,
    displayName: player.displayName,
    language: player.language,
    reportCredibility: player.reportCredibility,
    reportBannedUntil: player.reportBannedUntil?.toISOString() ?? null,
    accountCreatedAt: player.accountCreatedAt?.toISOString() ?? null,
    firstSeenAt: player.createdAt.toISOString(),
  };
}

export class SearchPlayersQueryDto {
  @TextField({
    max: 64,
    description: 'Account id prefix (as typed) or display name prefix (any case)',
    example: 'gorg',
  })
  q!: string;

  @RealmIdField({ optional: true, description: 'Only this realm (default: all of yours)' })
  realmId?: string;

  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class PlayerPageDto {
  @ApiProperty({ type: [PlayerResponseDto] }) items!: PlayerResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
