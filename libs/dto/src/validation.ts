import type { ValidationProblem } from '@gmdesk/contracts';
import { CommonError, CommonErrorCode } from '@gmdesk/core';
import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** Walks class-validator's nested error tree into `{ field: 'lines[3].body', problem }` pairs. */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
): ValidationProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      problem: message.startsWith(`${error.property} `)
        ? message.slice(error.property.length + 1)
        : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The one validation policy for REST bodies and socket payloads: whitelist, reject unknown fields. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const details = flattenValidationErrors(errors);
    const summary = details
      .slice(0, 3)
      .map((d) => `${d.field} ${d.problem}`)
      .join('; ');
    return new CommonError(
      CommonErrorCode.ValidationFailed,
      `Invalid request: ${summary}`,
      details,
    );
  },
};

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe(VALIDATION_OPTIONS);
}
