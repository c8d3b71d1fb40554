import type { ErrorEnvelope } from '@gmdesk/contracts';

/** A refusal from the api, carrying its error envelope (`{ error: { code, message, details } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | readonly string[] | undefined | null>;

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Query;
  /** Sent as `Idempotency-Key`: the same key for every retry of one user action. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
  /** False for the calls that establish a session (login, refresh). */
  readonly authenticated?: boolean;
  /** Extra request headers (e.g. the CSRF header `POST /auth/refresh` requires). */
  readonly headers?: Readonly<Record<string, string>>;
}

interface AuthHooks {
  /** The current access token (the session module refreshes it here when it can). */
  accessToken(): Promise<string | null>;
  /** The api said the token is no longer valid. */
  unauthenticated(code: string): void;
}

let auth: AuthHooks = {
  accessToken: () => Promise.resolve(null),
  unauthenticated: () => undefined,
};

/** The session module plugs in here (src/app/session.ts); features never see the token. */
export function configureAuth(hooks: AuthHooks): void {
  auth = hooks;
}

const UNAUTHENTICATED_CODES = new Set([
  'unauthenticated',
  'token_expired',
  // The session ended elsewhere: signed out in another tab, logged out everywhere, the password
  // changed, or its refresh credential was replayed (theft).
  'token_revoked',
  'account_disabled',
  'credentials_changed',
]);

function toSearch(query: Query | undefined): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** One REST call to the api (same origin as the console). */
export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (options.idempotencyKey) {
    headers['idempotency-key'] = options.idempotencyKey;
  }
  if (options.authenticated !== false) {
    const token = await auth.accessToken();
    if (token) {
      headers.authorization = `Bearer ${token}`;
    }
  }
  const response = await fetch(`${path}${toSearch(options.query)}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    credentials: 'same-origin',
  });
  if (response.status === 204) {
    return undefined as T;
  }
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (json as Partial<ErrorEnvelope> | undefined)?.error;
    const apiError = new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.details ?? null,
    );
    if (
      response.status === 401 &&
      options.authenticated !== false &&
      UNAUTHENTICATED_CODES.has(apiError.code)
    ) {
      auth.unauthenticated(apiError.code);
    }
    throw apiError;
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A fresh idempotency key: one per user action, reused by its retries. */
export function newIdempotencyKey(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return 'Something went wrong.';
}
