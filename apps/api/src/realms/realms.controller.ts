import type { StaffPrincipal } from '@gmdesk/core';
import { RealmErrorCode, RealmsService } from '@gmdesk/core';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import {
  CreatedGameServerResponseDto,
  CreatedRealmResponseDto,
  CreateGameServerDto,
  CreateRealmDto,
  GameServerParams,
  GameServerResponseDto,
  RealmParams,
  RealmResponseDto,
  toCreatedGameServerResponse,
  toCreatedRealmResponse,
  toGameServerResponse,
  toRealmResponse,
} from './dto/realm.dto';

@ApiTags('realms')
@Controller()
export class RealmsController {
  constructor(private readonly realms: RealmsService) {}

  @Post('realms')
  @Allow('admin')
  @ApiOperation({ summary: 'Create a realm; returns its player-token secret once' })
  @ApiResult(CreatedRealmResponseDto, { errors: [RealmErrorCode.RealmConflict] })
  async createRealm(
    @Caller() caller: StaffPrincipal,
    @Body() body: CreateRealmDto,
  ): Promise<CreatedRealmResponseDto> {
    return toCreatedRealmResponse(await this.realms.createRealm(caller, body));
  }

  @Get('realms')
  @Allow('agent')
  @ApiOperation({ summary: 'Realms the caller works in' })
  @ApiResult([RealmResponseDto])
  async listRealms(@Caller() caller: StaffPrincipal): Promise<RealmResponseDto[]> {
    return (await this.realms.listRealms(caller)).map(toRealmResponse);
  }

  @Post('realms/:realmId/game-servers')
  @Allow('admin')
  @ApiOperation({ summary: 'Register a game server; returns its API key once' })
  @ApiResult(CreatedGameServerResponseDto, { errors: [RealmErrorCode.RealmNotFound] })
  async createGameServer(
    @Caller() caller: StaffPrincipal,
    @Param() params: RealmParams,
    @Body() body: CreateGameServerDto,
  ): Promise<CreatedGameServerResponseDto> {
    return toCreatedGameServerResponse(
      await this.realms.createGameServer(caller, params.realmId, body.name),
    );
  }

  @Get('realms/:realmId/game-servers')
  @Allow('admin')
  @ApiOperation({ summary: 'Game servers of a realm (keys are never shown again)' })
  @ApiResult([GameServerResponseDto], { errors: [RealmErrorCode.RealmNotFound] })
  async listGameServers(
    @Caller() caller: StaffPrincipal,
    @Param() params: RealmParams,
  ): Promise<GameServerResponseDto[]> {
    return (await this.realms.listGameServers(caller, params.realmId)).map(toGameServerResponse);
  }

  @Post('game-servers/:id/revoke')
  @Allow('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a game server key (idempotent)' })
  @ApiResult(GameServerResponseDto, { errors: [RealmErrorCode.GameServerNotFound] })
  async revokeGameServer(
    @Caller() caller: StaffPrincipal,
    @Param() params: GameServerParams,
  ): Promise<GameServerResponseDto> {
    return toGameServerResponse(await this.realms.revokeGameServer(caller, params.id));
  }
}
