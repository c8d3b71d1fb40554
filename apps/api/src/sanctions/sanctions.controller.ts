import type { GameServerPrincipal, StaffPrincipal } from '@gmdesk/core';
import {
  PlayerErrorCode,
  RealmErrorCode,
  SanctionErrorCode,
  SanctionsService,
  TicketErrorCode,
} from '@gmdesk/core';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, Caller } from '../http/access.decorators';
import { IdParams } from '../http/common.dto';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { ApiIdempotencyKey, ApiResult } from '../http/openapi';
import { RealmParams } from '../realms/dto/realm.dto';
import {
  ActiveSanctionPageDto,
  IssueSanctionDto,
  ListSanctionsQueryDto,
  PageQueryDto,
  RevokeSanctionDto,
  SanctionDetailResponseDto,
  SanctionPageDto,
  SanctionResponseDto,
  toActiveSanction,
  toSanctionDetailResponse,
  toSanctionResponse,
} from './dto/sanction.dto';

@ApiTags('sanctions')
@Controller()
export class SanctionsController {
  constructor(private readonly sanctions: SanctionsService) {}

  @Post('sanctions')
  @Allow('moderator')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      'Sanction a player: every game server of the realm receives sanction.issued and must acknowledge it',
  })
  @ApiResult(SanctionResponseDto, {
    errors: [
      PlayerErrorCode.PlayerNotFound,
      TicketErrorCode.TicketNotFound,
      SanctionErrorCode.TicketOtherRealm,
    ],
  })
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

  @Get('sanctions')
  @Allow('agent')
  @ApiOperation({
    summary: 'Search sanctions in your realms, newest first (by realm, player, type, in force)',
  })
  @ApiResult(SanctionPageDto)
  async list(
    @Caller() caller: StaffPrincipal,
    @Query() query: ListSanctionsQueryDto,
  ): Promise<SanctionPageDto> {
    const { playerId, ...rest } = query;
    const page = await this.sanctions.list(caller, { ...rest, playerAccountId: playerId });
    return { items: page.items.map(toSanctionResponse), nextCursor: page.nextCursor };
  }

  @Get('sanctions/:id')
  @Allow('agent')
  @ApiOperation({
    summary: 'One sanction, with where each game server stands (sent, acknowledged, superseded)',
  })
  @ApiResult(SanctionDetailResponseDto, { errors: [SanctionErrorCode.SanctionNotFound] })
  async get(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
  ): Promise<SanctionDetailResponseDto> {
    return toSanctionDetailResponse(await this.sanctions.detailForStaff(caller, params.id));
  }

  @Post('sanctions/:id/revoke')
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
    @Body() body: RevokeSanctionDto,
  ): Promise<SanctionResponseDto> {
    return toSanctionResponse(await this.sanctions.revoke(caller, params.id, body.reason));
  }

  @Get('realms/:realmId/sanctions/active')
  @Allow('game_server', 'agent')
  @ApiOperation({
    summary:
      'What a game server must enforce now, oldest first: to bootstrap or re-sync its sanctions',
  })
  @ApiResult(ActiveSanctionPageDto, { errors: [RealmErrorCode.RealmNotFound] })
  async listActive(
    @Caller() caller: GameServerPrincipal | StaffPrincipal,
    @Param() params: RealmParams,
    @Query() query: PageQueryDto,
  ): Promise<ActiveSanctionPageDto> {
    const page = await this.sanctions.listActive(caller, params.realmId, query);
    return { items: page.items.map(toActiveSanction), nextCursor: page.nextCursor };
  }
}
