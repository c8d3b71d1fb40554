import type { Audience } from '@gmdesk/core';
import {
  AuthService,
  CommonError,
  CommonErrorCode,
  isAdmitted,
  Principal,
  UnauthenticatedError,
} from '@gmdesk/core';
import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ALLOW_KEY, PUBLIC_KEY } from './access.decorators';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Authenticates every request (staff JWT, player token, game-server API key) and admits it only
 * when the route names the caller's audience. Undeclared routes are denied.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets authenticate once, at the handshake; the gateway's SocketPolicyGuard applies the
    // same @Allow metadata to each event.
    if (context.getType() !== 'http') {
      return true;
    }
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    const audiences = this.reflector.getAllAndOverride<Audience[] | undefined>(ALLOW_KEY, targets);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!audiences) {
      this.logger.error(
        `route ${request.method} ${request.path} declares no @Allow/@Public: denied`,
      );
      throw new CommonError(CommonErrorCode.Forbidden, 'You may not do this.');
    }
    const principal = await this.authenticate(request.headers.authorization);
    request.principal = principal;
    if (!isAdmitted(principal, audiences)) {
      throw new CommonError(CommonErrorCode.Forbidden, 'You may not do this.');
    }
    return true;
  }

  private authenticate(header: string | undefined): Promise<Principal> {
    const [scheme, credential, ...rest] = (header ?? '').trim().split(/\s+/);
    if (!scheme || !credential || rest.length > 0) {
      return Promise.reject(
        new UnauthenticatedError(
          'unauthenticated',
          'Send "Authorization: Bearer <token>" (staff or player) or "Authorization: ApiKey <key>" (game server).',
        ),
      );
    }
    switch (scheme.toLowerCase()) {
      case 'bearer':
        return this.auth.authenticateBearer(credential);
      case 'apikey':
        return this.auth.authenticateApiKey(credential);
      default:
        return Promise.reject(
          new UnauthenticatedError('unauthenticated', `Unknown authorization scheme "${scheme}".`),
        );
    }
  }
}
