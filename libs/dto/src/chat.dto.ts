import type { ChatBatchPayload, ChatLinePayload } from '@gmdesk/contracts';
import { MAX_CHAT_BODY_CHARACTERS, MAX_CHAT_LINES_PER_BATCH } from '@gmdesk/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { TextField } from './field.decorators';
import { PayloadBudget, ShallowPayload } from './payload-guard';

/** The largest chat batch, as compact JSON: split bigger ones (socket.io's message cap is 2 MiB). */
export const CHAT_BATCH_BYTES = 2 * 1024 * 1024 - 4096;

/**
 * One line, for the documentation only: lines are checked one by one by the chat service (a bad
 * line is answered by index and reason, it does not fail the batch), not by the validation pipe.
 */
export class ChatLineDocDto implements ChatLinePayload {
  @ApiProperty({ example: 'trade', pattern: '^[a-z][a-z0-9_-]{0,31}$' })
  channel!: string;

  @ApiProperty({ description: 'The sender (game account id)', example: 'player-1042' })
  sender!: string;

  @ApiPropertyOptional({ description: 'The recipient of a whisper (required for whisper)' })
  recipient?: string;

  @ApiProperty({ maxLength: MAX_CHAT_BODY_CHARACTERS, example: 'WTS [Thunderfury] 5k gold' })
  body!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When it was said: at most CHAT_MAX_LINE_AGE_HOURS old, 5 minutes ahead',
  })
  sentAt!: string;
}

@PayloadBudget({ bytes: CHAT_BATCH_BYTES, arrayItems: MAX_CHAT_LINES_PER_BATCH })
@ShallowPayload()
export class ChatBatchDto implements ChatBatchPayload {
  @TextField({
    max: 128,
    pattern: /^[\x21-\x7e]{1,128}$/,
    patternMessage: 'must be 1-128 visible ASCII characters',
    description: 'Chosen by the server, unique per batch: a resend with the same id stores nothing',
    example: 'eu-1-node-3:000184',
  })
  batchId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CHAT_LINES_PER_BATCH)
  @ApiProperty({ type: [ChatLineDocDto], maxItems: MAX_CHAT_LINES_PER_BATCH })
  lines!: ChatLinePayload[];
}
