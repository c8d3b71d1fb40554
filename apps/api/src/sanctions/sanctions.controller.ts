import type { StaffPrincipal } from '@gmdesk/core';
import { PlayerErrorCode, SanctionErrorCode, SanctionsService } from '@gmdesk/core';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Caller } from '../http/access.decorators';
import { IdParams } from '../http/common.dto';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { ApiIdempotencyKey, ApiResult } from '../http/openapi';
import { IssueSanctionDto, SanctionResponseDto, toSanctionResponse } from './dto/sanction.dto';

@ApiTags('sanctions')
@Controller('sanctions')
export class SanctionsController {
  constructor(private readonly sanctions: SanctionsService) {}

  @Post()
  @Allow('moderator')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      'Sanction a player: every game server of the realm receives sanction.issued and must acknowledge it',
  })
  @ApiResult(SanctionResponseDto, { errors: [PlayerErrorCode.PlayerNotFound] })
  async issue(
    @Caller() caller: StaffPrincipal,
    @Body() body: IssueSanctionDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SanctionResponseDto> {
    const { playerId, ...rest } = body;
    const issued = await this.sanctions.issue(
      caller,
      { ...rest, playerAccountId: playerId },
      idempotencyKey,
    );
    if (issued.replayed) {
      response.setHeader('Idempotent-Replayed', 'true');
    }
    return toSanctionResponse(issued);
  }

  @Get(':id')
  @Allow('agent')
  @ApiOperation({ summary: 'One sanction' })
  @ApiResult(SanctionResponseDto, { errors: [SanctionErrorCode.SanctionNotFound] })
  async get(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
  ): Promise<SanctionResponseDto> {
    return toSanctionResponse(await this.sanctions.getForStaff(caller, params.id));
  }

  @Post(':id/revoke')
  @Allow('moderator')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Lift a sanction: game servers receive sanction.revoked and must acknowledge it',
  })
  @ApiResult(SanctionResponseDto, {
    errors: [SanctionErrorCode.SanctionNotFound, SanctionErrorCode.AlreadyRevoked],
  })
  async revoke(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
  ): Promise<SanctionResponseDto> {
    return toSanctionResponse(await this.sanctions.revoke(caller, params.id));
  }
}
