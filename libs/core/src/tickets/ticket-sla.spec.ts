import { TICKET_PRIORITIES, type TicketPriority } from '@gmdesk/contracts';
import { slaDueTimes } from './ticket-sla';

const HOUR = 3600_000;
const OPENED_AT = new Date('2026-11-24T19:30:00.000Z');

/** Most urgent first, so each step along this list may only allow more time. */
const BY_URGENCY: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low'];

const hoursAfterOpening = (date: Date | null): number | null =>
  date === null ? null : (date.getTime() - OPENED_AT.getTime()) / HOUR;

describe('slaDueTimes', () => {
  const sut = slaDueTimes;

  it('gives an urgent support ticket one hour to a first answer and eight to a resolution', () => {
    const due = sut('support', 'urgent', OPENED_AT);

    expect(due.firstResponseDueAt).toEqual(new Date('2026-11-24T20:30:00.000Z'));
    expect(due.resolutionDueAt).toEqual(new Date('2026-11-25T03:30:00.000Z'));
  });

  it('gives a low support ticket three days to a first answer and a week to a resolution', () => {
    const due = sut('support', 'low', OPENED_AT);

    expect(hoursAfterOpening(due.firstResponseDueAt)).toBe(72);
    expect(hoursAfterOpening(due.resolutionDueAt)).toBe(168);
  });

  it('gives a moderation case no first-response target, since no one waits for a reply', () => {
    for (const priority of TICKET_PRIORITIES) {
      expect(sut('moderation', priority, OPENED_AT).firstResponseDueAt).toBeNull();
    }
  });

  it('gives an urgent moderation case two hours to a resolution', () => {
    expect(hoursAfterOpening(sut('moderation', 'urgent', OPENED_AT).resolutionDueAt)).toBe(2);
  });

  it.each(TICKET_PRIORITIES)(
    'asks for the first answer before the resolution on a %s support ticket',
    (priority) => {
      const due = sut('support', priority, OPENED_AT);

      expect(due.firstResponseDueAt!.getTime()).toBeGreaterThan(OPENED_AT.getTime());
      expect(due.firstResponseDueAt!.getTime()).toBeLessThan(due.resolutionDueAt.getTime());
    },
  );

  it.each(['support', 'moderation'] as const)(
    'never gives a more urgent %s ticket more time than a less urgent one',
    (kind) => {
      const resolutionHours = BY_URGENCY.map((p) =>
        hoursAfterOpening(sut(kind, p, OPENED_AT).resolutionDueAt),
      ) as number[];

      for (let i = 1; i < resolutionHours.length; i += 1) {
        expect(resolutionHours[i]).toBeGreaterThan(resolutionHours[i - 1]);
      }
    },
  );

  it('never gives a more urgent support ticket longer to a first answer', () => {
    const firstResponseHours = BY_URGENCY.map((p) =>
      hoursAfterOpening(sut('support', p, OPENED_AT).firstResponseDueAt),
    ) as number[];

    for (let i = 1; i < firstResponseHours.length; i += 1) {
      expect(firstResponseHours[i]).toBeGreaterThan(firstResponseHours[i - 1]);
    }
  });

  it('counts from the opening time, whatever it is', () => {
    const later = new Date(OPENED_AT.getTime() + 90 * 60_000);

    const early = sut('support', 'normal', OPENED_AT);
    const late = sut('support', 'normal', later);

    expect(late.resolutionDueAt.getTime() - early.resolutionDueAt.getTime()).toBe(90 * 60_000);
  });

  it('does not change the opening time it was given', () => {
    const openedAt = new Date(OPENED_AT);

    sut('support', 'high', openedAt);

    expect(openedAt).toEqual(OPENED_AT);
  });
});
