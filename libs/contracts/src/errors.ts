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
  /**
   * Set only on the last entry of a list that was cut (at most 20 problems are listed); that
   * entry names no field.
   */
  readonly truncated?: true;
}

export interface ErrorEnvelope {
  readonly error: ErrorBody;
}
