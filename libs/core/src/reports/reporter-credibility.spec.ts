import {
  CREDIBILITY_CEILING,
  CREDIBILITY_FLOOR,
  INITIAL_CREDIBILITY,
  nextCredibility,
} from './reporter-credibility';

describe('nextCredibility', () => {
  const sut = nextCredibility;

  it('raises a new reporter whose report was upheld by a tenth of the way to 1', () => {
    expect(sut(INITIAL_CREDIBILITY, 'upheld')).toBe(0.55);
  });

  it('lowers a new reporter whose report was rejected by a fifth', () => {
    expect(sut(INITIAL_CREDIBILITY, 'rejected')).toBe(0.4);
  });

  it('makes three false reports in a row push a new reporter under the low-credibility line', () => {
    let credibility = INITIAL_CREDIBILITY;
    for (let i = 0; i < 3; i += 1) {
      credibility = sut(credibility, 'rejected');
    }

    expect(credibility).toBeCloseTo(0.256, 4);
    expect(credibility).toBeLessThan(0.3);
  });

  it('never rises above the ceiling, however many reports are upheld', () => {
    let credibility = INITIAL_CREDIBILITY;
    for (let i = 0; i < 200; i += 1) {
      credibility = sut(credibility, 'upheld');
    }

    expect(credibility).toBe(CREDIBILITY_CEILING);
  });

  it('never falls below the floor, however many reports are rejected', () => {
    let credibility = INITIAL_CREDIBILITY;
    for (let i = 0; i < 200; i += 1) {
      credibility = sut(credibility, 'rejected');
    }

    expect(credibility).toBe(CREDIBILITY_FLOOR);
  });

  it('lets a reporter at the floor climb back with upheld reports', () => {
    expect(sut(CREDIBILITY_FLOOR, 'upheld')).toBe(0.145);
  });

  it('brings a value outside the bounds (set by hand) back inside them', () => {
    expect(sut(1, 'upheld')).toBe(CREDIBILITY_CEILING);
    expect(sut(0, 'rejected')).toBe(CREDIBILITY_FLOOR);
  });

  it('treats a value that is not a number as the start value', () => {
    expect(sut(Number.NaN, 'upheld')).toBe(0.55);
  });

  it('weighs recent reports more than old ones', () => {
    const oldTruthRecentLies = sut(sut(sut(INITIAL_CREDIBILITY, 'upheld'), 'rejected'), 'rejected');
    const oldLiesRecentTruth = sut(sut(sut(INITIAL_CREDIBILITY, 'rejected'), 'rejected'), 'upheld');

    expect(oldLiesRecentTruth).toBeGreaterThan(oldTruthRecentLies);
  });
});
