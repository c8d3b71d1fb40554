import type { StaffPrincipal } from '@gmdesk/core';
import {
  AuthService,
  SessionError,
  SessionErrorCode,
  StaffErrorCode,
  StaffService,
  UnauthenticatedError,
} from '@gmdesk/core';
import { Body, Controller, Get, HttpCode, Ip, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow, Caller, Public } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import { AnonymousRateLimit } from '../http/rate-limit/rate-limit.guard';
import { StaffResponseDto, toStaffResponse } from '../staff/dto/staff-response.dto';
import { BearerToken } from './bearer-token.decorator';
import { LoginDto } from './dto/login.dto';
import { LogoutDto, LogoutResponseDto } from './dto/logout.dto';
import { SessionResponseDto, toSessionResponse } from './dto/session-response.dto';
import {
  clearSessionCookies,
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
  readCookie,
  REFRESH_COOKIE,
  setSessionCookies,
} from './session-cookies';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly staff: StaffService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  // Password guessing is limited per client IP, far below the general limit; the AuthService
  // adds a per-account back-off on top.
  @AnonymousRateLimit(10)
  @ApiOperation({
    summary: 'Staff login: returns a short-lived bearer token',
    description:
      'Also sets the sign-in session cookies: `gmdesk_refresh` (httpOnly, SameSite=Strict, ' +
      'path /auth, Secure over https), the credential `POST /auth/refresh` renews the token ' +
      'with, and `gmdesk_session=1` (readable, no secret) telling the console a session exists.',
  })
  @ApiResult(SessionResponseDto, {
    errors: [StaffErrorCode.InvalidCredentials, 'too_many_failed_logins'],
  })
  async login(
    @Body() body: LoginDto,
    @Ip() ip: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResponseDto> {
    const session = await this.auth.login(body.username, body.password, { ip: ip ?? 'unknown' });
    if (session.refresh) {
      setSessionCookies(request, response, session.refresh);
    }
    return toSessionResponse(session);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  // A console tab renews about once per token lifetime; a reload or a second tab once more.
  @AnonymousRateLimit(30)
  @ApiOperation({
    summary: 'Renew the staff token with the sign-in session cookie (no bearer token)',
    description:
      'Exchanges the httpOnly `gmdesk_refresh` cookie set by `POST /auth/login` for a new ' +
      'access token and a new cookie: each credential works once. Presenting a used one again ' +
      '(after a 10 s grace for concurrent tabs) ends the whole session, its tokens included, ' +
      'and is audited as `auth.refresh_reused`. CSRF: the cookie is SameSite=Strict and the ' +
      'request must carry `X-Requested-With: gmdesk-console`, which a cross-site form cannot ' +
      'send and a cross-origin script cannot send without a CORS preflight the api refuses. ' +
      'A refusal clears both cookies.',
  })
  @ApiHeader({ name: 'X-Requested-With', required: true, schema: { enum: [CSRF_HEADER_VALUE] } })
  @ApiResult(SessionResponseDto, {
    errors: [
      SessionErrorCode.RefreshCookieMissing,
      SessionErrorCode.CsrfCheckFailed,
      'token_revoked',
      'token_expired',
      'account_disabled',
      'unauthenticated',
    ],
  })
  async refresh(
    @Ip() ip: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionResponseDto> {
    const credential = readCookie(request, REFRESH_COOKIE);
    if (credential === undefined) {
      clearSessionCookies(request, response);
      throw new SessionError(SessionErrorCode.RefreshCookieMissing);
    }
    if (request.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) {
      throw new SessionError(SessionErrorCode.CsrfCheckFailed);
    }
    try {
      const session = await this.auth.refresh(credential, { ip: ip ?? 'unknown' });
      if (session.refresh) {
        setSessionCookies(request, response, session.refresh);
      }
      return toSessionResponse(session);
    } catch (error) {
      // A refused credential: the session is over, so the console should not try it again on
      // every load. (A database hiccup, `unavailable`, keeps the cookies for the next try.)
      if (error instanceof UnauthenticatedError) {
        clearSessionCookies(request, response);
      }
      throw error;
    }
  }

  @Post('logout')
  @Allow('agent')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End this staff token (or, with everywhere, every session of the account)',
    description:
      'Ends the sign-in session the token belongs to (its refresh cookie stops working) and ' +
      'clears the session cookies.',
  })
  @ApiResult(LogoutResponseDto)
  async logout(
    @BearerToken() token: string,
    @Body() body: LogoutDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LogoutResponseDto> {
    const ended = await this.auth.logout(token, body.everywhere === true);
    clearSessionCookies(request, response);
    return { ended };
  }

  @Get('me')
  @Allow('agent')
  @ApiOperation({ summary: 'The staff member behind the token' })
  @ApiResult(StaffResponseDto)
  async me(@Caller() caller: StaffPrincipal): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.get(caller.staffId));
  }
}
