import type { StaffPrincipal } from '@gmdesk/core';
import { AuthService, StaffErrorCode, StaffService } from '@gmdesk/core';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { Allow, Caller, Public } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import { StaffResponseDto, toStaffResponse } from '../staff/dto/staff-response.dto';
import { LoginDto } from './dto/login.dto';
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
  // Password guessing is limited per client IP, far below the general limit.
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({ summary: 'Staff login: returns a short-lived bearer token' })
  @ApiResult(SessionResponseDto, { errors: [StaffErrorCode.InvalidCredentials] })
  async login(@Body() body: LoginDto): Promise<SessionResponseDto> {
    return toSessionResponse(await this.auth.login(body.username, body.password));
  }

  @Get('me')
  @Allow('agent')
  @ApiOperation({ summary: 'The staff member behind the token' })
  @ApiResult(StaffResponseDto)
  async me(@Caller() caller: StaffPrincipal): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.get(caller.staffId));
  }
}
