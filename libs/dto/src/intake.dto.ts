import {
  REPORT_CATEGORIES,
  SUPPORT_CATEGORIES,
  type LocationPayload,
  type ReportCategory,
  type SupportCategory,
} from '@gmdesk/contracts';
import {
  AccountIdField,
  EnumField,
  NestedField,
  NumberField,
  TextField,
  TimestampField,
} from './field.decorators';

/**
 * What a report and a support ticket consist of, the same over REST and sockets: each transport
 * extends these with what only it has (an idempotency key field on sockets, where there are no
 * headers; a `realmId` check over REST).
 */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export class ReportLocationDto implements LocationPayload {
  @TextField({ max: 100, example: 'Stormwind Harbor' })
  zone!: string;

  @TextField({ optional: true, max: 100, example: 'instance-7f3a' })
  instance?: string;

  @NumberField({ optional: true, min: -1e9, max: 1e9 })
  x?: number;

  @NumberField({ optional: true, min: -1e9, max: 1e9 })
  y?: number;

  @NumberField({ optional: true, min: -1e9, max: 1e9 })
  z?: number;
}

export class ReportFieldsDto {
  @AccountIdField({ description: 'The reported player (game account id)' })
  reportedPlayerId!: string;

  @EnumField(REPORT_CATEGORIES)
  category!: ReportCategory;

  @TextField({ max: 2000, example: 'Kept teleporting around the boss and one-shotting everyone.' })
  description!: string;

  @TimestampField({ description: 'When it happened (not in the future)' })
  occurredAt!: string;

  @NestedField(() => ReportLocationDto, { optional: true })
  location?: ReportLocationDto;
}

export class TicketFieldsDto {
  @EnumField(SUPPORT_CATEGORIES)
  category!: SupportCategory;

  @TextField({ max: 200, example: 'Stuck under the map in Ironforge' })
  subject!: string;

  @TextField({ max: 5000, example: 'I fell through the floor near the bank and cannot move.' })
  body!: string;

  @TextField({
    optional: true,
    max: 16,
    pattern: LANGUAGE_TAG,
    patternMessage: 'must be a language tag like en or pt-BR',
  })
  language?: string;
}

/** Sockets have no headers: a retry sends the same key in the payload. */
export function IdempotencyKeyField(): PropertyDecorator {
  return TextField({
    optional: true,
    max: 255,
    pattern: /^[\x21-\x7e]{1,255}$/,
    patternMessage: 'must be 1-255 visible ASCII characters',
    description: 'Retries with the same key never create a duplicate',
  });
}
