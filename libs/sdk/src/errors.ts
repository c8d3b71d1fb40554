/** Why a session could not start or has ended: `{ code, message, retry }`, as the server sends it. */
export interface SessionEndReason {
  readonly code: string;
  readonly message: string;
  /** False for reasons a retry cannot fix (bad or revoked credential, expired token). */
  readonly retry: boolean;
}

/**
 * The server refused the handshake (`connect_error` with `data = { code, message, retry }`), or no
 * connection could be made (`code` is then `transport_error` or `connect_timeout`, `retry` true).
 */
export class GmdeskConnectError extends Error implements SessionEndReason {
  override readonly name = 'GmdeskConnectError';
  readonly code: string;
  readonly retry: boolean;

  constructor(reason: SessionEndReason, options?: { cause?: unknown }) {
    super(reason.message, options);
    this.code = reason.code;
    this.retry = reason.retry;
  }
}

export type RequestFailure =
  | 'timeout'
  | 'disconnected'
  | 'not_connected'
  | 'invalid_ack'
  /** REST calls only: no HTTP response at all, or one that is not the JSON the API promises. */
  | 'network'
  | 'invalid_response';

/**
 * A request got no usable ack. The server's own refusals are not errors: they come back as
 * `{ ok: false, error }`. After `timeout` or `disconnected` the server may still have done the work,
 * so retry with the same idempotency key where the event takes one.
 */
export class GmdeskRequestError extends Error {
  override readonly name = 'GmdeskRequestError';

  constructor(
    readonly code: RequestFailure,
    readonly event: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
