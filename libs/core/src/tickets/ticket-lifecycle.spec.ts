import { TICKET_STATUSES, type TicketStatus } from '@gmdesk/contracts';
import {
  allowedTransitions,
  canTransition,
  isOpenStatus,
  statusAfterPublicMessage,
} from './ticket-lifecycle';

/** DESIGN §2: new → open → pending → solved → closed, reopen from solved; closed is final. */
const ALLOWED: ReadonlyArray<[TicketStatus, TicketStatus]> = [
  ['new', 'open'],
  ['new', 'pending'],
  ['new', 'solved'],
  ['open', 'pending'],
  ['open', 'solved'],
  ['pending', 'open'],
  ['pending', 'solved'],
  ['solved', 'open'],
  ['solved', 'closed'],
];

const isListed = (from: TicketStatus, to: TicketStatus): boolean =>
  ALLOWED.some(([a, b]) => a === from && b === to);

const REFUSED: Array<[TicketStatus, TicketStatus]> = TICKET_STATUSES.flatMap((from) =>
  TICKET_STATUSES.filter((to) => !isListed(from, to)).map((to): [TicketStatus, TicketStatus] => [
    from,
    to,
  ]),
);

describe('canTransition', () => {
  const sut = canTransition;

  it.each(ALLOWED)('allows a ticket to move from %s to %s', (from, to) => {
    expect(sut(from, to)).toBe(true);
  });

  it.each(REFUSED)('refuses a ticket moving from %s to %s', (from, to) => {
    expect(sut(from, to)).toBe(false);
  });
});

describe('allowedTransitions', () => {
  const sut = allowedTransitions;

  it.each(TICKET_STATUSES)('lists exactly the statuses canTransition accepts from %s', (from) => {
    const accepted = TICKET_STATUSES.filter((to) => canTransition(from, to));
    expect([...sut(from)].sort()).toEqual([...accepted].sort());
  });
});

describe('isOpenStatus', () => {
  const sut = isOpenStatus;

  it.each(['new', 'open', 'pending'] as const)('counts a %s ticket as open work', (status) => {
    expect(sut(status)).toBe(true);
  });

  it.each(['solved', 'closed'] as const)('does not count a %s ticket as open work', (status) => {
    expect(sut(status)).toBe(false);
  });
});

describe('statusAfterPublicMessage', () => {
  const sut = statusAfterPublicMessage;

  it('opens a new ticket when staff answer it', () => {
    expect(sut('new', 'staff')).toBe('open');
  });

  it.each(['open', 'pending', 'solved', 'closed'] as const)(
    'leaves a %s ticket where it is when staff answer it',
    (status) => {
      expect(sut(status, 'staff')).toBe(status);
    },
  );

  it('reopens a pending ticket when the player writes back', () => {
    expect(sut('pending', 'player')).toBe('open');
  });

  it('reopens a solved ticket when the player writes back', () => {
    expect(sut('solved', 'player')).toBe('open');
  });

  it.each(['new', 'open'] as const)(
    'leaves a %s ticket where it is when the player adds to it',
    (status) => {
      expect(sut(status, 'player')).toBe(status);
    },
  );

  it('never reopens a closed ticket, whoever writes', () => {
    expect(sut('closed', 'player')).toBe('closed');
    expect(sut('closed', 'staff')).toBe('closed');
  });

  it('only ever moves a ticket along a transition the state machine allows', () => {
    for (const status of TICKET_STATUSES) {
      for (const author of ['player', 'staff'] as const) {
        const next = sut(status, author);
        expect(next === status || canTransition(status, next)).toBe(true);
      }
    }
  });
});
