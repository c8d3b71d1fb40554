import type { Audience, Principal } from '@gmdesk/core';
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export const ALLOW_KEY = 'gmdesk:allow';
export const PUBLIC_KEY = 'gmdesk:public';

/**
 * Who may call this route. Routes without @Allow or @Public are refused (default deny), and the
 * authorization matrix test fails for them.
 */
export const Allow = (...audiences: Audience[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_KEY, audiences);

/** No credentials needed (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

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
