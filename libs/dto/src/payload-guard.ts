import type { ValidationProblem } from '@gmdesk/contracts';
import { DomainError } from '@gmdesk/core';

/**
 * Structural guards for a request body or socket payload, run before any DTO work: REST runs
 * them on every parsed body and the validation pipe runs them again per DTO, on both transports.
 * They bound the work a payload can cause (depth, size) and refuse prototype keys, which slip
 * past the whitelist.
 */

/** The largest payload a DTO accepts unless it says otherwise with @PayloadBudget. */
export const DEFAULT_PAYLOAD_BYTES = 64 * 1024;

/** No request DTO nests more than a few levels; 64 KiB of `{"a":` would nest 13,000 deep. */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * Keys that JSON.parse keeps as own properties but class-transformer and object spreads treat
 * as the prototype: the whitelist never sees them, so they are refused here by name.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** No array of a DTO holds more items than this unless the DTO says otherwise. */
export const DEFAULT_ARRAY_ITEMS = 1000;

export interface PayloadBudget {
  /** Measured as the length of the payload's compact JSON (UTF-8). */
  readonly bytes: number;
  /** Items of any one array in the payload. */
  readonly arrayItems: number;
}

const PAYLOAD_BUDGET_KEY = Symbol('gmdesk:payload-budget');

/**
 * A DTO whose payload may be larger than 64 KiB or hold longer arrays than 1,000 items (a socket
 * `chat.batch` of 5,000 lines) says so here: the budget is per DTO, so per event. REST bodies
 * stay under the body parser's own 64 KiB limit whatever the DTO says.
 */
export function PayloadBudget(budget: Partial<PayloadBudget>): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(PAYLOAD_BUDGET_KEY, budget, target);
  };
}

const SHALLOW_KEY = Symbol('gmdesk:shallow-payload');

/**
 * A DTO whose validation stops at its own fields: the items of its arrays are plain JSON data that
 * the service checks one by one (a chat batch's 5,000 lines, each answered by index), so copying
 * them through class-transformer would only cost CPU and garbage. The structural guards (size,
 * depth, prototype keys) still cover the whole payload.
 */
export function ShallowPayload(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SHALLOW_KEY, true, target);
  };
}

export function isShallowPayload(type: unknown): boolean {
  return typeof type === 'function' && Reflect.getMetadata(SHALLOW_KEY, type) === true;
}

export function payloadBudgetOf(type: unknown): PayloadBudget {
  const declared = (
    typeof type === 'function' ? Reflect.getMetadata(PAYLOAD_BUDGET_KEY, type) : undefined
  ) as Partial<PayloadBudget> | undefined;
  return {
    bytes: declared?.bytes ?? DEFAULT_PAYLOAD_BYTES,
    arrayItems: declared?.arrayItems ?? DEFAULT_ARRAY_ITEMS,
  };
}

/** The payload (measured as compact JSON) is larger than its budget: REST 413, socket ack. */
export class PayloadTooLargeError extends DomainError<'payload_too_large'> {
  constructor(readonly limitBytes: number) {
    super(
      'payload_too_large',
      `The payload is larger than ${limitBytes >= 1024 ? `${limitBytes / 1024} KiB` : `${limitBytes} bytes`}.`,
      { limitBytes },
    );
  }
}

export type PayloadProblem =
  | { readonly kind: 'too_large'; readonly limitBytes: number }
  | { readonly kind: 'invalid'; readonly problem: ValidationProblem };

export interface PayloadLimits {
  readonly maxDepth?: number;
  /** Measured as the length of the value's compact JSON (UTF-8). Unset: no size check. */
  readonly maxBytes?: number;
  /** Items of any one array. Unset: no limit. */
  readonly maxArrayItems?: number;
}

/** Null prototype (Express 5 query objects) or Object.prototype: a JSON object, not an instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

/** A plain array, as JSON.parse makes them (not a typed array, not a subclass). */
function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/** What a value that is not JSON data is, for the problem text. */
export function describeNonJson(value: object): string {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return 'binary data';
  }
  return 'an instance';
}

/** Bytes of a scalar in compact JSON (strings without their escapes, which only add). */
function scalarBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return Buffer.byteLength(value, 'utf8') + 2;
    case 'number':
    case 'bigint':
      return String(value).length;
    case 'boolean':
      return value ? 4 : 5;
    case 'function':
    case 'object':
    case 'symbol':
    case 'undefined':
      return 4; // null, and what JSON writes as null
  }
}

/**
 * Checks the shape and size of a payload before any DTO work: too deep a payload overflows the
 * stack of the recursive transform and validation (a 500 for bad input), prototype keys slip past
 * the whitelist, and a huge one costs time in proportion to its size on every later step (an
 * array of 150,000 numbers once took 1.6 s of validation). Iterative, so the check cannot
 * overflow itself, and it stops as soon as the size budget is spent: its own work is bounded by
 * the budget, not by the payload.
 */
export function inspectPayload(
  payload: unknown,
  limits: PayloadLimits = {},
): PayloadProblem | null {
  const maxDepth = limits.maxDepth ?? MAX_PAYLOAD_DEPTH;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const maxArrayItems = limits.maxArrayItems ?? Number.POSITIVE_INFINITY;
  let bytes = 0;
  const tooLarge = (): PayloadProblem => ({ kind: 'too_large', limitBytes: maxBytes });
  const invalid = (at: Visit, problem: string): PayloadProblem => ({
    kind: 'invalid',
    problem: { field: pathOf(at), problem },
  });
  const pending: Visit[] = [{ value: payload, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (value === null || typeof value !== 'object') {
      if (value !== undefined) {
        bytes += scalarBytes(value);
      }
      if (bytes > maxBytes) {
        return tooLarge();
      }
      continue;
    }
    if (depth >= maxDepth) {
      return invalid(next, `nests deeper than ${maxDepth} levels`);
    }
    // Only what JSON.parse makes is walked. A socket.io binary attachment arrives as a Buffer, and
    // listing the keys of a 1.9 MB Buffer (1.9 million indices) stalled the event loop for half
    // a second before the size check could stop it; any other instance is no JSON either.
    if (!isPlainArray(value) && !isPlainObject(value)) {
      return invalid(next, `must be JSON data, not ${describeNonJson(value)}`);
    }
    if (Array.isArray(value)) {
      // Brackets and commas, and at least one byte per item: a long array is refused at once.
      bytes += 2 + Math.max(0, value.length - 1);
      if (bytes + value.length > maxBytes) {
        return tooLarge();
      }
      if (value.length > maxArrayItems) {
        return invalid(next, `must have at most ${maxArrayItems} items`);
      }
      for (let index = value.length - 1; index >= 0; index -= 1) {
        pending.push({ value: value[index], depth: depth + 1, parent: next, key: index });
      }
      continue;
    }
    const keys = Object.keys(value);
    bytes += 2 + Math.max(0, keys.length - 1);
    if (bytes > maxBytes) {
      return tooLarge();
    }
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index];
      const visit: Visit = {
        value: value[key],
        depth: depth + 1,
        parent: next,
        key,
      };
      if (PROTOTYPE_KEYS.has(key)) {
        return invalid(visit, `property ${key} should not exist`);
      }
      // "key": (the value's own bytes are counted when it is visited)
      bytes += Buffer.byteLength(key, 'utf8') + 3;
      if (bytes > maxBytes) {
        return tooLarge();
      }
      pending.push(visit);
    }
  }
  return null;
}

/** A value to visit; its path is spelled out only when a problem is reported. */
interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent?: Visit;
  readonly key?: string | number;
}

/** `location.zone`, `lines[3].body`. */
function pathOf(visit: Visit): string {
  const parts: Array<string | number> = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) {
    parts.push(at.key);
  }
  return parts
    .reverse()
    .reduce<string>(
      (path, key) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key),
      '',
    );
}
