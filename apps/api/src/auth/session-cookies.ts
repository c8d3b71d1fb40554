import type { CookieOptions, Request, Response } from 'express';

/** The httpOnly refresh credential: sent only to `/auth` (refresh, logout), never readable by script. */
export const REFRESH_COOKIE = 'gmdesk_refresh';
const REFRESH_COOKIE_PATH = '/auth';
/**
 * A readable hint beside it (value `1`, no secret): the console calls `POST /auth/refresh` at
 * start-up only when it is there, so a page load without a session makes no failing request.
 */
export const SESSION_HINT_COOKIE = 'gmdesk_session';

/** The header `POST /auth/refresh` requires beside the cookie (see the controller). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'gmdesk-console';

/**
 * Secure when the request came over https, directly or through a proxy that says so. Trusting
 * `X-Forwarded-Proto` here is safe: a forged one can only make the cookie stricter.
 */
function isHttps(request: Request): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return request.secure || proto === 'https';
}

function options(request: Request, path: string, httpOnly: boolean): CookieOptions {
  return { httpOnly, sameSite: 'strict', secure: isHttps(request), path };
}

export function setSessionCookies(
  request: Request,
  response: Response,
  refresh: { readonly credential: string; readonly expiresAt: Date },
): void {
  response.cookie(REFRESH_COOKIE, refresh.credential, {
    ...options(request, REFRESH_COOKIE_PATH, true),
    expires: refresh.expiresAt,
  });
  response.cookie(SESSION_HINT_COOKIE, '1', {
    ...options(request, '/', false),
    expires: refresh.expiresAt,
  });
}

export function clearSessionCookies(request: Request, response: Response): void {
  response.clearCookie(REFRESH_COOKIE, options(request, REFRESH_COOKIE_PATH, true));
  response.clearCookie(SESSION_HINT_COOKIE, options(request, '/', false));
}

/** One cookie of the request (no cookie-parser: this is the only cookie the api reads). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) {
    return undefined;
  }
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      const value = part.slice(separator + 1).trim();
      return value.length > 0 ? value : undefined;
    }
  }
  return undefined;
}
