import { useSyncExternalStore } from 'react';
import { ApiError, api, configureAuth } from '../lib/api-client';
import type { SessionResponse, StaffMember } from '../types/api';

/**
 * The staff session: who is signed in and their access token.
 *
 * - The access token lives in this module's memory only (never localStorage or sessionStorage):
 *   a script injected into the page cannot read it from storage, and closing the tab ends it.
 * - `accessToken()` is the one place every REST call and the socket get the token from. A token
 *   that expires within the refresh margin (a minute, or a third of its lifetime when shorter) is
 *   renewed first at `POST /auth/refresh`, once for all concurrent callers; a timer renews it at
 *   the margin anyway. The refresh credential is the api's httpOnly, SameSite=Strict cookie
 *   (rotated on each use, path /auth): script never sees it; the call carries the
 *   `X-Requested-With: gmdesk-console` header the api requires against cross-site requests.
 * - `restore()` makes the same call at start-up when the readable `gmdesk_session` hint cookie
 *   is there, so a reload keeps the GM signed in. An api without the route answers 404: refreshing
 *   is then off and the session ends at `expiresAt`.
 * - `signOut()` calls `POST /auth/logout` (which ends the sign-in session and clears the
 *   cookies) and forgets the token.
 */

export type SessionState =
  | { readonly status: 'signed_out'; readonly reason: 'signed_out' | 'expired' | null }
  | { readonly status: 'signed_in'; readonly staff: StaffMember; readonly expiresAt: Date };

type Listener = () => void;

const REFRESH_MARGIN_MS = 60_000;
const REFRESH_HINT_COOKIE = 'gmdesk_session';
const CSRF_HEADERS = { 'x-requested-with': 'gmdesk-console' } as const;

/** How long before expiry a token is renewed: a minute, or a third of its lifetime if shorter. */
function refreshMargin(lifetimeMs: number): number {
  return Math.min(REFRESH_MARGIN_MS, Math.max(0, lifetimeMs / 3));
}

class Session {
  private token: string | null = null;
  private state: SessionState = { status: 'signed_out', reason: null };
  private readonly listeners = new Set<Listener>();
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | undefined;
  /** Unknown until the first attempt; false once the api answered 404. */
  private refreshSupported: boolean | undefined;
  private readonly tokenListeners = new Set<(token: string | null) => void>();
  /** How long the current token was valid for when it came (for the refresh margin). */
  private lifetimeMs = 0;
  /** Bumped at every sign-out, so a refresh answered after it does not sign the GM back in. */
  private epoch = 0;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionState => this.state;

  /** Called with every new access token (sign-in, refresh) and null at sign-out. */
  onToken(listener: (token: string | null) => void): () => void {
    this.tokenListeners.add(listener);
    return () => this.tokenListeners.delete(listener);
  }

  currentToken(): string | null {
    return this.token;
  }

  async signIn(username: string, password: string): Promise<void> {
    const session = await api<SessionResponse>('POST', '/auth/login', {
      body: { username, password },
      authenticated: false,
    });
    this.adopt(session);
  }

  /**
   * At start-up: a refresh cookie (once the api sets one) brings the session back after a reload.
   * The cookie itself is httpOnly, so the api is expected to set a readable hint cookie
   * (REFRESH_HINT_COOKIE) beside it; without the hint no request is made.
   */
  async restore(): Promise<boolean> {
    const hinted = document.cookie
      .split(';')
      .some((cookie) => cookie.trim().startsWith(`${REFRESH_HINT_COOKIE}=`));
    return hinted ? this.refresh() : false;
  }

  async signOut(): Promise<void> {
    // A token about to expire is renewed first: the api must get a valid one to end the session
    // (and its refresh cookie), or a reload would bring the GM back.
    const token = await this.accessToken().catch(() => this.token);
    this.clear({ status: 'signed_out', reason: 'signed_out' });
    // The hint is readable (the refresh cookie itself is httpOnly): without it, a reload does not
    // even try to restore the session, whatever happens to the logout call below.
    document.cookie = `${REFRESH_HINT_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
    if (!token) {
      return;
    }
    try {
      await fetch('/auth/logout', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        credentials: 'same-origin',
      });
    } catch {
      // Signing out locally is what matters; the token expires by itself.
    }
  }

  /** The token for a request, refreshed first when it is about to expire and refresh exists. */
  async accessToken(): Promise<string | null> {
    if (this.state.status !== 'signed_in') {
      return this.token;
    }
    const remaining = this.state.expiresAt.getTime() - Date.now();
    if (remaining < refreshMargin(this.lifetimeMs) && this.refreshSupported !== false) {
      await this.refresh();
    }
    return this.token;
  }

  /** The api refused the token (expired, disabled, role changed): back to the sign-in page. */
  expire(): void {
    if (this.state.status === 'signed_in') {
      this.clear({ status: 'signed_out', reason: 'expired' });
    }
  }

  private refresh(): Promise<boolean> {
    if (this.refreshSupported === false) {
      return Promise.resolve(false);
    }
    const epoch = this.epoch;
    this.refreshing ??= (async () => {
      try {
        const session = await api<SessionResponse>('POST', '/auth/refresh', {
          authenticated: false,
          headers: CSRF_HEADERS,
        });
        this.refreshSupported = true;
        if (epoch !== this.epoch) {
          return false;
        }
        this.adopt(session);
        return true;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
          this.refreshSupported = false;
        }
        return false;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private adopt(response: SessionResponse): void {
    this.token = response.accessToken;
    const expiresAt = new Date(response.expiresAt);
    this.lifetimeMs = expiresAt.getTime() - Date.now();
    this.state = { status: 'signed_in', staff: response.staff, expiresAt };
    clearTimeout(this.expiryTimer);
    // Renew ahead of expiry: the gateway ends the socket when its token expires, and the socket
    // reconnects with whatever accessToken() gives then. Without refresh, the session ends with
    // its token.
    this.expiryTimer = setTimeout(
      () => {
        void this.refresh().then((renewed) => {
          if (!renewed && this.token === response.accessToken) {
            this.expiryTimer = setTimeout(
              () => this.expire(),
              Math.max(0, expiresAt.getTime() - Date.now()),
            );
          }
        });
      },
      Math.max(0, expiresAt.getTime() - Date.now() - refreshMargin(this.lifetimeMs)),
    );
    this.emit();
  }

  private clear(state: SessionState): void {
    this.epoch += 1;
    clearTimeout(this.expiryTimer);
    this.token = null;
    this.state = state;
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.tokenListeners]) {
      listener(this.token);
    }
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

export const session = new Session();

configureAuth({
  accessToken: () => session.accessToken(),
  unauthenticated: () => session.expire(),
});

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** The signed-in staff member (only under the signed-in layout). */
export function useMe(): StaffMember {
  const state = useSession();
  if (state.status !== 'signed_in') {
    throw new Error('useMe() outside the signed-in layout');
  }
  return state.staff;
}
