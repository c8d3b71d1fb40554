import { CommonError, CommonErrorCode } from '@gmdesk/core';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The optional `Idempotency-Key` header: 1-255 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => {
    const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
      throw new CommonError(
        CommonErrorCode.ValidationFailed,
        'The Idempotency-Key header is not valid.',
        [{ field: 'Idempotency-Key', problem: 'must be 1-255 visible ASCII characters' }],
      );
    }
    return value;
  },
);
