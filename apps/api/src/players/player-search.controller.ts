import type { StaffPrincipal } from '@gmdesk/core';
import { PlayersService } from '@gmdesk/core';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { ApiResult } from '../http/openapi';
import { PlayerPageDto, SearchPlayersQueryDto, toPlayerResponse } from './dto/player.dto';

@ApiTags('players')
@Controller('players')
export class PlayerSearchController {
  constructor(private readonly players: PlayersService) {}

  @Get()
  @Allow('agent')
  @ApiOperation({
    summary:
      'Find players in your realms by account id or display name prefix (by realm, then account id)',
  })
  @ApiResult(PlayerPageDto)
  async search(
    @Caller() caller: StaffPrincipal,
    @Query() query: SearchPlayersQueryDto,
  ): Promise<PlayerPageDto> {
    const page = await this.players.search(caller, query);
    return { items: page.items.map(toPlayerResponse), nextCursor: page.nextCursor };
  }
}
