import type { Principal } from '@gmdesk/core';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';

// The policy metadata is shared with the socket gateway, so it lives in core.
export { Allow, ALLOW_KEY, Public, PUBLIC_KEY } from '@gmdesk/core';

/** The authenticated caller, set by the AuthGuard. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
    if (!request.principal) {
      throw new Error('@Caller() used on a route without @Allow()');
    }
    return request.principal;
  },
);
