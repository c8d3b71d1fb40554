import type { ValidationProblem } from '@gmdesk/contracts';
import { CommonError, CommonErrorCode } from '@gmdesk/core';
import {
  ArgumentMetadata,
  ValidationPipe,
  ValidationPipeOptions,
  type PipeTransform,
} from '@nestjs/common';
import { validate, type ValidationError } from 'class-validator';
import {
  describeNonJson,
  inspectPayload,
  isPlainObject,
  isShallowPayload,
  payloadBudgetOf,
  PayloadTooLargeError,
} from './payload-guard';

/** At most this many problems are listed in `details`; a last entry says when there were more. */
export const MAX_REPORTED_PROBLEMS = 20;
/** A field path or a problem longer than this is cut (an unknown key may be 60 KB long). */
const MAX_FIELD_CHARS = 200;
const MAX_PROBLEM_CHARS = 300;

/** The entry that ends a `details` list that was cut: clients can tell a partial list from a whole one. */
export type TruncationMarker = ValidationProblem & { readonly truncated: true };

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Walks class-validator's nested error tree into `{ field: 'lines[3].body', problem }` pairs,
 * stopping after `limit` of them (the tree of a hostile payload can hold hundreds of thousands).
 */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
  limit = Number.POSITIVE_INFINITY,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const pending: Array<{ error: ValidationError; parent: string }> = errors
    .map((error) => ({ error, parent }))
    .reverse();
  for (let next = pending.pop(); next && problems.length < limit; next = pending.pop()) {
    const { error } = next;
    const field = /^\d+$/.test(error.property)
      ? `${next.parent}[${error.property}]`
      : next.parent
        ? `${next.parent}.${error.property}`
        : error.property;
    // A Set: two rules may say the same thing about one field (IsObject and ValidateNested).
    const messages = new Set(
      Object.values(error.constraints ?? {}).map((message) =>
        message.startsWith(`${error.property} `)
          ? message.slice(error.property.length + 1)
          : message,
      ),
    );
    for (const problem of messages) {
      if (problems.length >= limit) {
        break;
      }
      problems.push({ field, problem });
    }
    const children = error.children ?? [];
    for (let index = children.length - 1; index >= 0; index -= 1) {
      pending.push({ error: children[index], parent: field });
    }
  }
  return problems;
}

/**
 * The details of a `validation_failed`: at most MAX_REPORTED_PROBLEMS problems, each cut to a
 * bounded length, and a last `{ truncated: true }` entry when more were found. The error for a
 * payload of 150,000 bad items was 9.7 MB; this one stays under a few kilobytes.
 */
export function boundedProblems(
  problems: readonly ValidationProblem[],
): Array<ValidationProblem | TruncationMarker> {
  const listed = problems.slice(0, MAX_REPORTED_PROBLEMS).map((p) => ({
    field: clip(p.field, MAX_FIELD_CHARS),
    problem: clip(p.problem, MAX_PROBLEM_CHARS),
  }));
  if (problems.length <= MAX_REPORTED_PROBLEMS) {
    return listed;
  }
  return [
    ...listed,
    {
      field: '',
      problem: `more problems were found; only the first ${MAX_REPORTED_PROBLEMS} are listed`,
      truncated: true,
    },
  ];
}

/** The one `validation_failed` error, from the pipe and from the structural guards alike. */
export function validationFailed(problems: readonly ValidationProblem[]): CommonError {
  const details = boundedProblems(problems);
  const summary = details
    .filter((d) => !('truncated' in d))
    .slice(0, 3)
    .map((d) => `${d.field} ${d.problem}`.trim())
    .join('; ');
  return new CommonError(CommonErrorCode.ValidationFailed, `Invalid request: ${summary}`, details);
}

/** The one validation policy for REST bodies and socket payloads: whitelist, reject unknown fields. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    validationFailed(flattenValidationErrors(errors, '', MAX_REPORTED_PROBLEMS + 1)),
};

/**
 * The payload's shape before class-transformer sees it: a DTO is always a JSON object (an array
 * would become one instance per item, each validated and reported), within the DTO's byte budget
 * and depth, without prototype keys. Sockets have no body parser in front, so this is their only
 * guard; REST bodies were checked once already by the body parser.
 */
export function assertPayloadShape(value: unknown, metatype: unknown, field = ''): void {
  if (!isPlainObject(value)) {
    throw validationFailed([{ field, problem: `must be a JSON object, not ${describe(value)}` }]);
  }
  const budget = payloadBudgetOf(metatype);
  const problem = inspectPayload(value, {
    maxBytes: budget.bytes,
    maxArrayItems: budget.arrayItems,
  });
  if (problem?.kind === 'too_large') {
    throw new PayloadTooLargeError(problem.limitBytes);
  }
  if (problem) {
    throw validationFailed([problem.problem]);
  }
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'object' ? describeNonJson(value) : `a ${typeof value}`;
}

/**
 * ValidationPipe behind the structural guards. Only payloads validated against a DTO class are
 * guarded (bodies, queries, params, socket payloads); primitives such as `@Param('id')` pass as
 * before.
 */
class GuardedValidationPipe extends ValidationPipe implements PipeTransform {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (
      isShallowPayload(metatype) &&
      value instanceof (metatype as abstract new (...args: never[]) => unknown)
    ) {
      // Validated by an earlier pipe (the global one runs for gateways too): not copied again.
      return value;
    }
    // A missing body or query is validated as `{}` by the pipe; keep that behaviour. An instance
    // of the DTO was built by an earlier pipe from a payload that passed (the global REST pipe
    // also runs for gateways, before their own).
    if (
      metatype &&
      this.toValidate(metadata) &&
      value !== undefined &&
      !(value instanceof (metatype as abstract new (...args: never[]) => unknown))
    ) {
      assertPayloadShape(value, metatype, metadata.data ?? '');
      if (isShallowPayload(metatype)) {
        return validateShallow(value as Record<string, unknown>, metatype);
      }
    }
    return (await super.transform(value, metadata)) as unknown;
  }
}

/**
 * A @ShallowPayload DTO: its own fields validated by their decorators (unknown ones refused),
 * its nested data left as parsed. The guards above already refused prototype keys, and JSON has
 * no sparse arrays, which is what Nest's pipe would otherwise clean before copying.
 */
async function validateShallow(
  value: Record<string, unknown>,
  metatype: abstract new (...args: never[]) => unknown,
): Promise<unknown> {
  const instance = Object.assign(Object.create(metatype.prototype as object) as object, value);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    throw validationFailed(flattenValidationErrors(errors, '', MAX_REPORTED_PROBLEMS + 1));
  }
  return instance;
}

export function createValidationPipe(): ValidationPipe {
  return new GuardedValidationPipe(VALIDATION_OPTIONS);
}
