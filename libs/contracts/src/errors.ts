/** The error body every transport sends: REST as `{ error }`, sockets as `{ ok: false, error }`. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export interface ValidationProblem {
  /** Full path of the offending field, e.g. `location.zone` or `lines[3].body`. */
  readonly field: string;
  readonly problem: string;
}

export interface ErrorEnvelope {
  readonly error: ErrorBody;
}
