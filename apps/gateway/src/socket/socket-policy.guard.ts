import { ALLOW_KEY, CommonError, CommonErrorCode, isAdmitted, type Audience } from '@gmdesk/core';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { GatewaySocket } from './socket-session';

/**
 * The REST policy, per socket event: the handler (or its gateway class) must name the caller's
 * audience with @Allow. The principal was verified at the handshake.
 */
@Injectable()
export class SocketPolicyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const audiences = this.reflector.getAllAndOverride<Audience[] | undefined>(ALLOW_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = context.switchToWs().getClient<GatewaySocket>().data.principal;
    if (!audiences || !isAdmitted(principal, audiences)) {
      throw new CommonError(CommonErrorCode.Forbidden, 'You may not do this.');
    }
    return true;
  }
}
