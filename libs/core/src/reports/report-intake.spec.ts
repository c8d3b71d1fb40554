import { reporterRetryAfterSeconds, targetRetryAfterSeconds } from './report-intake';

const NOW = new Date('2026-11-24T19:30:00.000Z');
const secondsAgo = (seconds: number): Date => new Date(NOW.getTime() - seconds * 1000);

describe('reporterRetryAfterSeconds', () => {
  const sut = reporterRetryAfterSeconds;
  const LIMIT = 3;
  const WINDOW = 3600;

  it('lets a reporter with no recent filings file now', () => {
    expect(sut([], NOW, LIMIT, WINDOW)).toBe(0);
  });

  it('lets a reporter one filing under the limit file now', () => {
    expect(sut([secondsAgo(30), secondsAgo(10)], NOW, LIMIT, WINDOW)).toBe(0);
  });

  it('makes a reporter at the limit wait until their oldest filing leaves the window', () => {
    const filings = [secondsAgo(3000), secondsAgo(2000), secondsAgo(1000)];

    expect(sut(filings, NOW, LIMIT, WINDOW)).toBe(600);
  });

  it('makes a reporter over the limit wait until enough filings leave to fit one more', () => {
    // Five filings under a limit of three: the oldest three must leave, the third of them last.
    const filings = [
      secondsAgo(3500),
      secondsAgo(3400),
      secondsAgo(3000),
      secondsAgo(100),
      secondsAgo(50),
    ];

    expect(sut(filings, NOW, LIMIT, WINDOW)).toBe(600);
  });

  it('rounds a wait of part of a second up to a whole second', () => {
    const filings = [new Date(NOW.getTime() - WINDOW * 1000 + 1), secondsAgo(20), secondsAgo(10)];

    expect(sut(filings, NOW, LIMIT, WINDOW)).toBe(1);
  });

  it('rounds a wait up, never down, so Retry-After is never too early', () => {
    const filings = [new Date(NOW.getTime() - 1000 * 1000 - 500), secondsAgo(20), secondsAgo(10)];

    expect(sut(filings, NOW, LIMIT, WINDOW)).toBe(WINDOW - 1000);
  });

  it('lets a reporter file once their oldest filing is exactly one window old', () => {
    const filings = [secondsAgo(WINDOW), secondsAgo(20), secondsAgo(10)];

    expect(sut(filings, NOW, LIMIT, WINDOW)).toBe(0);
  });

  it('makes a reporter who filed their whole limit just now wait the whole window', () => {
    const filings = [NOW, NOW, NOW];

    expect(sut(filings, NOW, LIMIT, WINDOW)).toBe(WINDOW);
  });

  it('applies a limit of one to the single last filing', () => {
    expect(sut([secondsAgo(60)], NOW, 1, 300)).toBe(240);
  });
});

describe('targetRetryAfterSeconds', () => {
  const sut = targetRetryAfterSeconds;
  const COOLDOWN = 900;

  it('lets a reporter report a player they never had a closed report against', () => {
    expect(sut(null, NOW, COOLDOWN)).toBe(0);
  });

  it('makes a reporter wait out the rest of the cooldown after a closed report', () => {
    expect(sut(secondsAgo(300), NOW, COOLDOWN)).toBe(600);
  });

  it('makes a reporter wait the whole cooldown right after their report was closed', () => {
    expect(sut(NOW, NOW, COOLDOWN)).toBe(COOLDOWN);
  });

  it('rounds the last part of a second up to a whole second', () => {
    expect(sut(new Date(NOW.getTime() - COOLDOWN * 1000 + 1), NOW, COOLDOWN)).toBe(1);
  });

  it('lets a reporter report again exactly when the cooldown ends', () => {
    expect(sut(secondsAgo(COOLDOWN), NOW, COOLDOWN)).toBe(0);
  });

  it('lets a reporter report again long after the cooldown', () => {
    expect(sut(secondsAgo(COOLDOWN * 10), NOW, COOLDOWN)).toBe(0);
  });

  it('never makes anyone wait when the cooldown is turned off', () => {
    expect(sut(NOW, NOW, 0)).toBe(0);
  });
});
