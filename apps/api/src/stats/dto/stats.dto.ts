import {
  TICKET_KINDS,
  TICKET_PRIORITIES,
  type TicketKind,
  type TicketPriority,
} from '@gmdesk/contracts';
import { EnumField, NumberField, RealmIdField } from '@gmdesk/dto';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import type { Backlog, Intake, ResponseTimes } from '../stats.service';

/** A whole number in the query string ("24"); anything else is left for the validator to refuse. */
function QueryInteger(options: { min: number; max: number; description: string }) {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
    ),
    NumberField({ ...options, optional: true, integer: true }),
  );
}

export class StatsQueryDto {
  @RealmIdField({ optional: true, description: 'Only this realm (within your own realms)' })
  realmId?: string;
}

export class IntakeQueryDto extends StatsQueryDto {
  @QueryInteger({
    min: 1,
    max: 168,
    description: 'How many whole UTC hours, the current one last (default 24)',
  })
  hours?: number;
}

export class ResponseTimesQueryDto extends StatsQueryDto {
  @EnumField(['hour', 'day'] as const, {
    optional: true,
    description: 'UTC hours or days (default day)',
  })
  bucket?: 'hour' | 'day';

  @QueryInteger({
    min: 1,
    max: 168,
    description: 'How many buckets, the current one last (default 14 days or 24 hours)',
  })
  periods?: number;
}

export class BacklogTotalsDto {
  @ApiProperty({ description: 'New, open and pending items' }) open!: number;
  @ApiProperty() unassigned!: number;
  @ApiProperty({ description: 'Past their next SLA deadline (first response, then resolution)' })
  breaching!: number;
  @ApiProperty({
    description: 'With a first-response clock (support tickets) and no public staff reply yet',
  })
  awaitingFirstResponse!: number;
}

export class BacklogCellDto extends BacklogTotalsDto {
  @ApiProperty({ enum: TICKET_KINDS }) kind!: TicketKind;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority!: TicketPriority;
}

export class OldestWaitingDto {
  @ApiProperty({ enum: TICKET_KINDS }) kind!: TicketKind;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty() realmId!: string;
  @ApiProperty({ enum: ['new', 'open'] }) status!: string;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority!: string;
  @ApiProperty({ description: 'Player-supplied for support tickets: render as text' })
  subject!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() waitingSeconds!: number;
}

export class BacklogResponseDto {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: BacklogTotalsDto }) totals!: BacklogTotalsDto;
  @ApiProperty({
    type: [BacklogCellDto],
    description: 'Every kind and priority, zeros included',
  })
  cells!: BacklogCellDto[];
  @ApiProperty({
    type: [OldestWaitingDto],
    description: 'The longest-waiting new or open item of each kind that has one',
  })
  oldestWaiting!: OldestWaitingDto[];
}

export class IntakeCountsDto {
  @ApiProperty({ description: 'Reports filed' }) reports!: number;
  @ApiProperty({ description: 'Support tickets opened' }) supportTickets!: number;
  @ApiProperty({ description: 'Moderation cases opened' }) cases!: number;
}

export class IntakeBucketDto extends IntakeCountsDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the UTC hour' }) hour!: string;
}

export class IntakeResponseDto {
  @ApiProperty() hours!: number;
  @ApiProperty({ type: [IntakeBucketDto], description: 'Oldest first, the current hour last' })
  buckets!: IntakeBucketDto[];
  @ApiProperty({ type: IntakeCountsDto }) totals!: IntakeCountsDto;
}

export class ResponseTimeFiguresDto {
  @ApiProperty({ description: 'Support tickets opened' }) tickets!: number;
  @ApiProperty({ description: 'Of those, answered by staff in public' }) answered!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median time to first response' })
  p50Seconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90Seconds!: number | null;
}

export class ResponseTimeBucketDto extends ResponseTimeFiguresDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the UTC hour or day' })
  start!: string;
}

export class ResponseTimesResponseDto {
  @ApiProperty({ enum: ['hour', 'day'] }) bucket!: 'hour' | 'day';
  @ApiProperty({
    type: [ResponseTimeBucketDto],
    description: 'By when the tickets were opened, oldest first',
  })
  buckets!: ResponseTimeBucketDto[];
  @ApiProperty({ type: ResponseTimeFiguresDto }) overall!: ResponseTimeFiguresDto;
}

const round = (seconds: number | null): number | null =>
  seconds === null ? null : Math.round(seconds * 10) / 10;

export function toBacklogResponse(backlog: Backlog): BacklogResponseDto {
  return {
    generatedAt: backlog.generatedAt.toISOString(),
    totals: { ...backlog.totals },
    cells: backlog.cells.map((cell) => ({ ...cell })),
    oldestWaiting: backlog.oldestWaiting.map((item) => ({
      kind: item.kind,
      ticketId: item.id,
      realmId: item.realmId,
      status: item.status,
      priority: item.priority,
      subject: item.subject,
      createdAt: item.createdAt.toISOString(),
      waitingSeconds: item.waitingSeconds,
    })),
  };
}

export function toIntakeResponse(intake: Intake): IntakeResponseDto {
  return {
    hours: intake.hours,
    buckets: intake.buckets.map((bucket) => ({
      hour: bucket.hour.toISOString(),
      reports: bucket.reports,
      supportTickets: bucket.supportTickets,
      cases: bucket.cases,
    })),
    totals: { ...intake.totals },
  };
}

export function toResponseTimesResponse(times: ResponseTimes): ResponseTimesResponseDto {
  return {
    bucket: times.bucket,
    buckets: times.buckets.map((bucket) => ({
      start: bucket.start.toISOString(),
      tickets: bucket.tickets,
      answered: bucket.answered,
      p50Seconds: round(bucket.p50Seconds),
      p90Seconds: round(bucket.p90Seconds),
    })),
    overall: {
      tickets: times.overall.tickets,
      answered: times.overall.answered,
      p50Seconds: round(times.overall.p50Seconds),
      p90Seconds: round(times.overall.p90Seconds),
    },
  };
}
