import type { StaffPrincipal } from '@gmdesk/core';
import { AuthService, StaffErrorCode, StaffService } from '@gmdesk/core';
import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller, Public } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import { AnonymousRateLimit } from '../http/rate-limit/rate-limit.guard';
import { StaffResponseDto, toStaffResponse } from '../staff/dto/staff-response.dto';
import { BearerToken } from './bearer-token.decorator';
import { LoginDto } from './dto/login.dto';
import { LogoutDto, LogoutResponseDto } from './dto/logout.dto';
import { SessionResponseDto, toSessionResponse } from './dto/session-response.dto';

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
  @ApiOperation({ summary: 'Staff login: returns a short-lived bearer token' })
  @ApiResult(SessionResponseDto, {
    errors: [StaffErrorCode.InvalidCredentials, 'too_many_failed_logins'],
  })
  async login(@Body() body: LoginDto, @Ip() ip: string | undefined): Promise<SessionResponseDto> {
    return toSessionResponse(
      await this.auth.login(body.username, body.password, { ip: ip ?? 'unknown' }),
    );
  }

  @Post('logout')
  @Allow('agent')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End this staff token (or, with everywhere, every session of the account)',
  })
  @ApiResult(LogoutResponseDto)
  async logout(@BearerToken() token: string, @Body() body: LogoutDto): Promise<LogoutResponseDto> {
    return { ended: await this.auth.logout(token, body.everywhere === true) };
  }

  @Get('me')
  @Allow('agent')
  @ApiOperation({ summary: 'The staff member behind the token' })
  @ApiResult(StaffResponseDto)
  async me(@Caller() caller: StaffPrincipal): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.get(caller.staffId));
  }
}
