import type { ReportResolution } from '@gmdesk/contracts';

/** What a brand-new reporter starts with (the players table default). */
export const INITIAL_CREDIBILITY = 0.5;
/** Credibility never leaves [FLOOR, CEILING]: no reporter is ignored or trusted blindly. */
export const CREDIBILITY_FLOOR = 0.05;
export const CREDIBILITY_CEILING = 0.95;
/** Share of the distance to 1 an upheld report gains. */
export const UPHELD_GAIN = 0.1;
/** Share of the current value a rejected report loses: a false report costs twice what a true one earns. */
export const REJECTED_LOSS = 0.2;

/**
 * A reporter's credibility after one of their reports was resolved: an exponentially weighted
 * accuracy, so recent reports count more than old ones and no history has to be kept.
 *
 *   upheld:   c ← c + 0.1 · (1 − c)
 *   rejected: c ← c − 0.2 · c
 *
 * then clamped to [0.05, 0.95] and rounded to 4 decimals. From the start value 0.5, three
 * rejected reports in a row bring a reporter to 0.256, under the 0.3 below which case scoring
 * counts them as low-credibility (brigading); seven upheld ones bring them to about 0.76.
 */
export function nextCredibility(current: number, resolution: ReportResolution): number {
  const start = Number.isFinite(current) ? current : INITIAL_CREDIBILITY;
  const moved =
    resolution === 'upheld' ? start + UPHELD_GAIN * (1 - start) : start - REJECTED_LOSS * start;
  const clamped = Math.min(CREDIBILITY_CEILING, Math.max(CREDIBILITY_FLOOR, moved));
  return Math.round(clamped * 10_000) / 10_000;
}
