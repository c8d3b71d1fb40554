import { useSyncExternalStore } from 'react';
import { ApiError, api, configureAuth } from '../lib/api-client';
import type { SessionResponse, StaffMember } from '../types/api';

/**
 * The staff session: who is signed in and their access token.
 *
 * - The access token lives in this module's memory only (never localStorage or sessionStorage):
 *   a script injected into the page cannot read it from storage, and closing the tab ends it.
 * - `accessToken()` is the one place every REST call and the socket get the token from. It is the
 *   slot for refreshing: when the api offers `POST /auth/refresh` (an httpOnly, SameSite=Strict
 *   refresh cookie, rotated on use, answering like `POST /auth/login`), a token that expires within
 *   REFRESH_MARGIN_MS is refreshed there first, once for all concurrent callers. `restore()` tries
 *   the same call at start-up so a reload keeps the GM signed in. Until the api has the route, the
 *   first 404 turns refreshing off and the session simply ends at `expiresAt`.
 * - `signOut()` calls `POST /auth/logout` (best effort: a 404 from an api without it is fine) and
 *   forgets the token.
 */

export type SessionState =
  | { readonly status: 'signed_out'; readonly reason: 'signed_out' | 'expired' | null }
  | { readonly status: 'signed_in'; readonly staff: StaffMember; readonly expiresAt: Date };

type Listener = () => void;

const REFRESH_MARGIN_MS = 60_000;
const REFRESH_HINT_COOKIE = 'gmdesk_session';

class Session {
  private token: string | null = null;
  private state: SessionState = { status: 'signed_out', reason: null };
  private readonly listeners = new Set<Listener>();
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | undefined;
  /** Unknown until the first attempt; false once the api answered 404. */
  private refreshSupported: boolean | undefined;
  private readonly tokenListeners = new Set<(token: string | null) => void>();

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
    const token = this.token;
    this.clear({ status: 'signed_out', reason: 'signed_out' });
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
    if (remaining < REFRESH_MARGIN_MS && this.refreshSupported !== false) {
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
    this.refreshing ??= (async () => {
      try {
        const session = await api<SessionResponse>('POST', '/auth/refresh', {
          authenticated: false,
        });
        this.refreshSupported = true;
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
    this.state = { status: 'signed_in', staff: response.staff, expiresAt };
    clearTimeout(this.expiryTimer);
    // Renew a minute early (the socket must get the new token before the gateway ends the
    // session at expiry); without refresh, the session ends with its token.
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
      Math.max(0, expiresAt.getTime() - Date.now() - REFRESH_MARGIN_MS),
    );
    this.emit();
  }

  private clear(state: SessionState): void {
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
