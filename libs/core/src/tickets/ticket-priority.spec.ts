import {
  CATEGORY_GROUPS,
  REPORT_CATEGORIES,
  TICKET_PRIORITIES,
  type ReportCategory,
} from '@gmdesk/contracts';
import {
  assessCase,
  BRIGADING_FLAG,
  CATEGORY_GROUP,
  CATEGORY_SEVERITY,
  isNewAccount,
  PRIORITY_RANK,
  type CaseReportSignal,
} from './ticket-priority';

let reporterSequence = 0;

/** One report from a fresh, established reporter unless the case says otherwise. */
function report(overrides: Partial<CaseReportSignal> = {}): CaseReportSignal {
  reporterSequence += 1;
  return {
    category: 'harassment',
    reporterId: `reporter-${reporterSequence}`,
    weight: 0.5,
    reporterIsNew: false,
    ...overrides,
  };
}

function reports(count: number, overrides: Partial<CaseReportSignal> = {}): CaseReportSignal[] {
  return Array.from({ length: count }, () => report(overrides));
}

describe('assessCase', () => {
  const sut = assessCase;

  describe('base priority from the category severity', () => {
    it.each(['cheating', 'exploit', 'hate_speech'] as const)(
      'gives a single report of severe %s high priority',
      (category) => {
        expect(sut([report({ category })]).priority).toBe('high');
      },
    );

    it.each(['harassment', 'rmt'] as const)(
      'gives a single report of serious %s normal priority',
      (category) => {
        expect(sut([report({ category })]).priority).toBe('normal');
      },
    );

    it.each(['spam', 'griefing', 'offensive_name', 'other'] as const)(
      'gives a single report of nuisance %s low priority',
      (category) => {
        expect(sut([report({ category })]).priority).toBe('low');
      },
    );

    it('takes the most severe category when a case holds reports of several', () => {
      const result = sut([report({ category: 'spam' }), report({ category: 'exploit' })]);

      expect(result.priority).toBe('high');
    });

    it('gives an empty case low priority and a zero score', () => {
      expect(sut([])).toEqual({
        score: 0,
        priority: 'low',
        reportCount: 0,
        reporterCount: 0,
        flags: [],
      });
    });
  });

  describe('score', () => {
    it('is the sum of the distinct reporters’ credibility', () => {
      const result = sut([
        report({ weight: 0.9 }),
        report({ weight: 0.4 }),
        report({ weight: 0.2 }),
      ]);

      expect(result.score).toBeCloseTo(1.5, 10);
    });

    it('is rounded so that floating-point noise cannot decide an escalation', () => {
      // 0.12 + 0.95 + 0.43 is 1.4999999999999998 in binary floating point.
      const result = sut([
        report({ weight: 0.12 }),
        report({ weight: 0.95 }),
        report({ weight: 0.43 }),
      ]);

      expect(result.score).toBe(1.5);
      expect(result.priority).toBe('high');
    });
  });

  describe('escalation by credible distinct reporters', () => {
    it('raises the priority one step when three credible reporters weigh at least 1.5', () => {
      const result = sut(reports(3, { category: 'spam', weight: 0.5 }));

      expect(result.priority).toBe('normal');
      expect(result.flags).toEqual([]);
    });

    it('does not escalate three reporters whose credibility sums below 1.5', () => {
      const result = sut(reports(3, { category: 'spam', weight: 0.45 }));

      expect(result.priority).toBe('low');
    });

    it('does not escalate two reporters however credible they are', () => {
      const result = sut(reports(2, { category: 'spam', weight: 1 }));

      expect(result.score).toBe(2);
      expect(result.priority).toBe('low');
    });

    it('raises the priority two steps when six credible reporters weigh at least 4', () => {
      const result = sut(reports(6, { category: 'spam', weight: 0.7 }));

      expect(result.priority).toBe('high');
    });

    it('raises the priority only one step when six reporters weigh less than 4', () => {
      const result = sut(reports(6, { category: 'spam', weight: 0.6 }));

      expect(result.priority).toBe('normal');
    });

    it('never goes above urgent', () => {
      const result = sut(reports(10, { category: 'cheating', weight: 1 }));

      expect(result.priority).toBe('urgent');
    });
  });

  describe('duplicates of one reporter', () => {
    it('counts a reporter who files the same case many times once', () => {
      const result = sut(reports(5, { reporterId: 'the-same-player', weight: 0.8 }));

      expect(result.reportCount).toBe(5);
      expect(result.reporterCount).toBe(1);
      expect(result.score).toBe(0.8);
    });

    it('does not escalate a case that one reporter filed over and over', () => {
      const result = sut(
        reports(8, { reporterId: 'the-same-player', category: 'spam', weight: 1 }),
      );

      expect(result.priority).toBe('low');
    });

    it('keeps the highest credibility a repeated reporter filed with', () => {
      const result = sut([
        report({ reporterId: 'repeat', weight: 0.2 }),
        report({ reporterId: 'repeat', weight: 0.9 }),
        report({ reporterId: 'repeat', weight: 0.5 }),
      ]);

      expect(result.score).toBe(0.9);
    });

    it('does not let three accounts padded with duplicates pass for six reporters', () => {
      const three = reports(3, { category: 'spam', weight: 1 });
      const result = sut([...three, ...three]);

      expect(result.reporterCount).toBe(3);
      expect(result.score).toBe(3);
      expect(result.priority).toBe('normal');
    });
  });

  describe('brigading', () => {
    it('flags a case where most reporters are new accounts and does not escalate it', () => {
      const result = sut(reports(6, { category: 'harassment', weight: 1, reporterIsNew: true }));

      expect(result.flags).toEqual([BRIGADING_FLAG]);
      expect(result.priority).toBe('normal');
    });

    it('flags a case where most reporters have low credibility', () => {
      const result = sut([...reports(4, { weight: 0.1 }), report({ weight: 1 })]);

      expect(result.flags).toEqual([BRIGADING_FLAG]);
    });

    it('flags five reporters of whom three are new accounts, and holds back the escalation', () => {
      const result = sut([
        ...reports(3, { category: 'spam', weight: 0.9, reporterIsNew: true }),
        ...reports(2, { category: 'spam', weight: 0.9 }),
      ]);

      expect(result.flags).toEqual([BRIGADING_FLAG]);
      expect(result.priority).toBe('low');
    });

    it('does not flag a case where only a minority of reporters are suspicious', () => {
      const result = sut([
        ...reports(2, { category: 'spam', weight: 0.9, reporterIsNew: true }),
        ...reports(3, { category: 'spam', weight: 0.9 }),
      ]);

      expect(result.flags).toEqual([]);
      expect(result.priority).toBe('normal');
    });

    it('does not flag a single new reporter, which is not a flood', () => {
      const result = sut([report({ reporterIsNew: true, weight: 0.1 })]);

      expect(result.flags).toEqual([]);
    });

    it('judges a reporter who files repeatedly by one report, not by each filing', () => {
      const result = sut([
        ...reports(6, { reporterId: 'new-account', reporterIsNew: true }),
        ...reports(2, { weight: 0.8 }),
      ]);

      expect(result.reporterCount).toBe(3);
      expect(result.flags).toEqual([]);
    });

    it('does not let a brigaded case outrank a credible single report of the same category', () => {
      const credible = sut([report({ category: 'rmt', weight: 1 })]);
      const brigade = sut(reports(20, { category: 'rmt', weight: 1, reporterIsNew: true }));

      expect(PRIORITY_RANK[brigade.priority]).toBe(PRIORITY_RANK[credible.priority]);
    });
  });
});

describe('isNewAccount', () => {
  const NOW = new Date('2026-11-24T19:30:00.000Z');
  const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * 86_400_000);

  it("counts a 2-day-old account (the game's age) as established even if first seen an hour ago", () => {
    expect(isNewAccount(daysAgo(2), daysAgo(1 / 24), NOW)).toBe(false);
  });

  it('counts an account the game created an hour ago as new even if first seen long before', () => {
    // A game server can re-create an account id (a deleted and re-registered account).
    expect(isNewAccount(daysAgo(1 / 24), daysAgo(400), NOW)).toBe(true);
  });

  it('falls back to first-seen when the game gave no creation time', () => {
    expect(isNewAccount(null, daysAgo(1 / 24), NOW)).toBe(true);
    expect(isNewAccount(null, daysAgo(2), NOW)).toBe(false);
  });

  it('stops counting an account as new once it is a day old', () => {
    expect(isNewAccount(new Date(NOW.getTime() - 86_400_000 + 1), daysAgo(30), NOW)).toBe(true);
    expect(isNewAccount(daysAgo(1), daysAgo(30), NOW)).toBe(false);
  });
});

describe('category tables', () => {
  it.each(REPORT_CATEGORIES)('puts the %s category in a known case group', (category) => {
    const sut = CATEGORY_GROUP;

    expect(CATEGORY_GROUPS).toContain(sut[category]);
  });

  it.each(REPORT_CATEGORIES)('gives the %s category a severity of 1 to 3', (category) => {
    const sut = CATEGORY_SEVERITY;

    expect([1, 2, 3]).toContain(sut[category]);
  });

  it.each(CATEGORY_GROUPS)('uses the %s case group for at least one category', (group) => {
    const sut = CATEGORY_GROUP;
    const members = (Object.keys(sut) as ReportCategory[]).filter((c) => sut[c] === group);

    expect(members.length).toBeGreaterThan(0);
  });

  it('ranks every priority, most urgent first', () => {
    const sut = PRIORITY_RANK;
    const ordered = [...TICKET_PRIORITIES].sort((a, b) => sut[a] - sut[b]);

    expect(ordered).toEqual(['urgent', 'high', 'normal', 'low']);
  });
});
