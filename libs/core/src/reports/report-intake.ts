/**
 * Seconds until the reporter may file again under "at most `limit` new reports per window",
 * given the times of their new reports inside the window (oldest first); 0 when they may now.
 */
export function reporterRetryAfterSeconds(
  recentFilings: readonly Date[],
  now: Date,
  limit: number,
  windowSeconds: number,
): number {
  if (recentFilings.length < limit) {
    return 0;
  }
  // The filing that must leave the window before one more fits under the limit.
  const blocking = recentFilings[recentFilings.length - limit];
  if (!blocking) {
    return 0;
  }
  // The window is (now - windowSeconds, now], as the repository reads it: a filing exactly one
  // window old has left it.
  const freeAt = blocking.getTime() + windowSeconds * 1000;
  return freeAt > now.getTime() ? Math.ceil((freeAt - now.getTime()) / 1000) : 0;
}

/** Seconds until the reporter may report the same player again after a closed report; 0 if now. */
export function targetRetryAfterSeconds(
  lastResolvedAt: Date | null,
  now: Date,
  cooldownSeconds: number,
): number {
  if (!lastResolvedAt || cooldownSeconds === 0) {
    return 0;
  }
  const freeAt = lastResolvedAt.getTime() + cooldownSeconds * 1000;
  return freeAt > now.getTime() ? Math.ceil((freeAt - now.getTime()) / 1000) : 0;
}
