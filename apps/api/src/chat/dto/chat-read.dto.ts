import type { ChatMessageRow } from '@gmdesk/core';
import {
  AccountIdField,
  CursorField,
  LimitField,
  RealmIdField,
  TextField,
  TimestampField,
} from '@gmdesk/dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;
const LINE_ID = /^\d{1,19}$/;

export class ChatSearchQueryDto {
  @RealmIdField()
  realmId!: string;

  @AccountIdField({ optional: true, description: 'Lines this player sent or received' })
  player?: string;

  @TextField({
    optional: true,
    max: 32,
    pattern: CHANNEL,
    patternMessage: 'must be a channel name',
  })
  channel?: string;

  @TimestampField({ optional: true, description: 'Default: a day before `to`' })
  from?: string;

  @TimestampField({ optional: true, description: 'Default: now' })
  to?: string;

  @TextField({
    optional: true,
    max: 200,
    description: 'Text the line contains, case-insensitively (at least 3 characters)',
    pattern: /^[\s\S]{3,}$/u,
    patternMessage: 'must be at least 3 characters',
  })
  q?: string;

  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class ChatContextQueryDto {
  @RealmIdField()
  realmId!: string;

  @TextField({ max: 19, pattern: LINE_ID, patternMessage: 'must be a chat line id' })
  id!: string;

  @TimestampField({ description: 'The line’s sentAt, as search returned it' })
  sentAt!: string;

  @ValidateIf((_object, value) => value !== undefined)
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(50)
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  count?: number;
}

export class ChatConversationQueryDto {
  @RealmIdField()
  realmId!: string;

  @AccountIdField({ description: 'One player' })
  a!: string;

  @AccountIdField({ description: 'The other player' })
  b!: string;

  @TimestampField({ optional: true, description: 'Default: 30 days before `to`' })
  from?: string;

  @TimestampField({ optional: true, description: 'Default: now' })
  to?: string;

  @CursorField()
  cursor?: string;

  @LimitField()
  limit?: number;
}

export class ChatMessageResponseDto {
  @ApiProperty({ description: 'With sentAt, the key of the line (for context)' })
  id!: string;

  @ApiProperty()
  realmId!: string;

  @ApiProperty()
  serverId!: string;

  @ApiProperty()
  channel!: string;

  @ApiProperty()
  sender!: string;

  @ApiPropertyOptional()
  recipient?: string;

  @ApiProperty({ description: 'As the game server sent it: render as text, never as markup' })
  body!: string;

  @ApiProperty({ format: 'date-time' })
  sentAt!: string;
}

export class ChatMessagePageDto {
  @ApiProperty({ type: [ChatMessageResponseDto] })
  items!: ChatMessageResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class ChatContextResponseDto {
  @ApiProperty({ type: ChatMessageResponseDto })
  line!: ChatMessageResponseDto;

  @ApiProperty({ type: [ChatMessageResponseDto], description: 'Oldest first, the line included' })
  lines!: ChatMessageResponseDto[];
}

export function toChatMessageResponse(row: ChatMessageRow): ChatMessageResponseDto {
  return {
    id: row.id,
    realmId: row.realmId,
    serverId: row.serverId,
    channel: row.channel,
    sender: row.senderAccountId,
    ...(row.recipientAccountId !== null && { recipient: row.recipientAccountId }),
    body: row.body,
    sentAt: row.sentAt.toISOString(),
  };
}
