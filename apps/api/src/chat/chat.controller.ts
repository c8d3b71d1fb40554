import {
  ChatErrorCode,
  ChatSearchService,
  ChatService,
  RealmErrorCode,
  type GameServerPrincipal,
  type StaffPrincipal,
} from '@gmdesk/core';
import { ChatBatchDto } from '@gmdesk/dto';
import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Caller } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import {
  ChatContextQueryDto,
  ChatContextResponseDto,
  ChatConversationQueryDto,
  ChatMessagePageDto,
  ChatSearchQueryDto,
  toChatMessageResponse,
} from './dto/chat-read.dto';

class RejectedChatLineDto {
  @ApiProperty({ description: 'Position of the line in `lines`' })
  index!: number;

  @ApiProperty({
    example: 'body_too_long',
    description:
      'not_an_object, unknown_field, invalid_channel, invalid_sender, invalid_recipient, recipient_required, invalid_body, body_too_long, invalid_sent_at, sent_at_out_of_range',
  })
  code!: string;
}

class ChatBatchResultDto {
  @ApiProperty()
  batchId!: string;

  @ApiProperty({ description: 'Lines stored' })
  accepted!: number;

  @ApiProperty({ type: [RejectedChatLineDto] })
  rejected!: RejectedChatLineDto[];

  @ApiProperty({ description: 'True when this batch id was stored before: nothing stored now' })
  replayed!: boolean;

  @ApiPropertyOptional({ description: 'gmdesk is busy writing chat: wait before the next batch' })
  retryAfterMs?: number;
}

@ApiTags('chat')
@Controller('chat')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly search: ChatSearchService,
  ) {}

  @Post('batches')
  @Allow('game_server')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A game server sends chat lines (the same as `chat.batch` on /game)',
    description:
      'Up to 5,000 lines and 2 MiB. Lines are checked one by one: good ones are stored, bad ones are answered by index and reason. The answer comes after commit; a batch sent again with the same batchId stores nothing and gets the first answer (`replayed: true`). 503 `unavailable` with Retry-After when gmdesk cannot take the batch now: send it again.',
  })
  @ApiResult(ChatBatchResultDto, { errors: [ChatErrorCode.BatchIdReused] })
  async ingest(
    @Caller() caller: GameServerPrincipal,
    @Body() body: ChatBatchDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ChatBatchResultDto> {
    const result = await this.chat.ingest(caller, body.batchId, body.lines);
    if (result.replayed) {
      response.setHeader('Idempotent-Replayed', 'true');
    }
    return { ...result, rejected: [...result.rejected] };
  }

  @Get('messages')
  @Allow('agent')
  @ApiOperation({
    summary: 'Search chat: by player, channel, time range and text, newest first (audited)',
  })
  @ApiResult(ChatMessagePageDto, { errors: [RealmErrorCode.RealmNotFound] })
  async messages(
    @Caller() caller: StaffPrincipal,
    @Query() query: ChatSearchQueryDto,
  ): Promise<ChatMessagePageDto> {
    const page = await this.search.search(caller, {
      realmId: query.realmId,
      player: query.player,
      channel: query.channel,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      text: query.q,
      cursor: query.cursor,
      limit: query.limit,
    });
    return { items: page.items.map(toChatMessageResponse), nextCursor: page.nextCursor };
  }

  @Get('messages/context')
  @Allow('agent')
  @ApiOperation({
    summary: 'The lines around one line, in its channel (a whisper: between the same two players)',
  })
  @ApiResult(ChatContextResponseDto, {
    errors: [RealmErrorCode.RealmNotFound, ChatErrorCode.MessageNotFound],
  })
  async context(
    @Caller() caller: StaffPrincipal,
    @Query() query: ChatContextQueryDto,
  ): Promise<ChatContextResponseDto> {
    const { line, lines } = await this.search.context(caller, query);
    return { line: toChatMessageResponse(line), lines: lines.map(toChatMessageResponse) };
  }

  @Get('conversation')
  @Allow('agent')
  @ApiOperation({ summary: 'The whispers between two players, both ways, newest first (audited)' })
  @ApiResult(ChatMessagePageDto, { errors: [RealmErrorCode.RealmNotFound] })
  async conversation(
    @Caller() caller: StaffPrincipal,
    @Query() query: ChatConversationQueryDto,
  ): Promise<ChatMessagePageDto> {
    const page = await this.search.conversation(caller, {
      realmId: query.realmId,
      a: query.a,
      b: query.b,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      cursor: query.cursor,
      limit: query.limit,
    });
    return { items: page.items.map(toChatMessageResponse), nextCursor: page.nextCursor };
  }
}
