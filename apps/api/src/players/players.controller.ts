import type { GameServerPrincipal, Principal, StaffPrincipal } from '@gmdesk/core';
import { PlayerErrorCode, PlayersService } from '@gmdesk/core';
import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import {
  PlayerParams,
  PlayerResponseDto,
  ReportBanDto,
  toPlayerResponse,
  UpsertPlayerDto,
} from './dto/player.dto';

@ApiTags('players')
@Controller('realms/:realmId/players/:accountId')
export class PlayersController {
  constructor(private readonly players: PlayersService) {}

  @Put()
  @Allow('game_server')
  @ApiOperation({
    summary: 'A game server registers or refreshes one of its players',
    description: "player_not_found when the realm is not the game server's own.",
  })
  @ApiResult(PlayerResponseDto, { errors: [PlayerErrorCode.PlayerNotFound] })
  async upsert(
    @Caller() caller: GameServerPrincipal,
    @Param() params: PlayerParams,
    @Body() body: UpsertPlayerDto,
  ): Promise<PlayerResponseDto> {
    return toPlayerResponse(
      await this.players.upsertFromGameServer(caller, params.realmId, params.accountId, {
        displayName: body.displayName,
        language: body.language,
        accountCreatedAt:
          body.accountCreatedAt === undefined ? undefined : new Date(body.accountCreatedAt),
      }),
    );
  }

  @Get()
  @Allow('player', 'game_server', 'agent')
  @ApiOperation({ summary: 'One player (a player may only read themselves)' })
  @ApiResult(PlayerResponseDto, { errors: [PlayerErrorCode.PlayerNotFound] })
  async get(
    @Caller() caller: Principal,
    @Param() params: PlayerParams,
  ): Promise<PlayerResponseDto> {
    return toPlayerResponse(
      await this.players.getForViewer(caller, params.realmId, params.accountId),
    );
  }

  @Put('report-ban')
  @Allow('moderator')
  @ApiOperation({ summary: 'Stop a player who abuses the report button from filing reports' })
  @ApiResult(PlayerResponseDto, { errors: [PlayerErrorCode.PlayerNotFound] })
  async setReportBan(
    @Caller() caller: StaffPrincipal,
    @Param() params: PlayerParams,
    @Body() body: ReportBanDto,
  ): Promise<PlayerResponseDto> {
    return toPlayerResponse(
      await this.players.setReportBan(caller, params.realmId, params.accountId, {
        until: new Date(body.until),
        reason: body.reason,
      }),
    );
  }

  @Delete('report-ban')
  @Allow('moderator')
  @ApiOperation({ summary: 'Lift a report-ban' })
  @ApiResult(PlayerResponseDto, { errors: [PlayerErrorCode.PlayerNotFound] })
  async liftReportBan(
    @Caller() caller: StaffPrincipal,
    @Param() params: PlayerParams,
  ): Promise<PlayerResponseDto> {
    return toPlayerResponse(
      await this.players.setReportBan(caller, params.realmId, params.accountId, { until: null }),
    );
  }
}
