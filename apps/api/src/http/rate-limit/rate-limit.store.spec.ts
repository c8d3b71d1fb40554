import { MemoryRateLimitStore } from './rate-limit.store';

describe('MemoryRateLimitStore', () => {
  const minute = 60_000;

  it('counts hits of one key in the current window', () => {
    const sut = new MemoryRateLimitStore();

    const counts = [1, 2, 3].map(() => sut.hit('k', minute, 10_000).count);

    expect(counts).toEqual([1, 2, 3]);
  });

  it('keeps keys apart', () => {
    const sut = new MemoryRateLimitStore();
    sut.hit('a', minute, 10_000);

    expect(sut.hit('b', minute, 10_000).count).toBe(1);
  });

  it('weights the previous window by how much of it the sliding window still covers', () => {
    const sut = new MemoryRateLimitStore();
    for (let i = 0; i < 100; i += 1) {
      sut.hit('k', minute, 30_000);
    }

    // A quarter into the next window, three quarters of the previous one still count.
    expect(sut.hit('k', minute, minute + 15_000).count).toBe(75 + 1);
  });

  it('never lets a request more through across a window boundary', () => {
    const sut = new MemoryRateLimitStore();
    for (let i = 0; i < 5; i += 1) {
      sut.hit('k', minute, minute - 500);
    }
    for (let i = 0; i < 5; i += 1) {
      sut.hit('k', minute, minute + 500);
    }
    // 10 within one second: the 11th is over a limit of 10 (5 × 0.99 rounds up to 5).
    expect(sut.hit('k', minute, minute + 1000).count).toBe(11);
  });

  it('forgets a key after a whole idle window', () => {
    const sut = new MemoryRateLimitStore();
    for (let i = 0; i < 100; i += 1) {
      sut.hit('k', minute, 30_000);
    }

    expect(sut.hit('k', minute, 2 * minute + 1).count).toBe(1);
  });

  it('says when the current window ends', () => {
    const sut = new MemoryRateLimitStore();

    expect(sut.hit('k', minute, 45_000).resetInMs).toBe(15_000);
  });
});
