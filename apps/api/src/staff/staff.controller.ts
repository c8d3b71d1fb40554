import type { StaffPrincipal } from '@gmdesk/core';
import { StaffErrorCode, StaffService } from '@gmdesk/core';
import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { IdParams } from '../http/common.dto';
import { ApiResult } from '../http/openapi';
import { StaffResponseDto, toStaffResponse } from './dto/staff-response.dto';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';

@ApiTags('staff')
@Controller('staff')
@Allow('admin')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Post()
  @ApiOperation({ summary: 'Create a staff account' })
  @ApiResult(StaffResponseDto, { errors: [StaffErrorCode.StaffConflict] })
  async create(
    @Caller() caller: StaffPrincipal,
    @Body() body: CreateStaffDto,
  ): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.create(caller, body));
  }

  @Get()
  @ApiOperation({ summary: 'All staff accounts' })
  @ApiResult([StaffResponseDto])
  async list(): Promise<StaffResponseDto[]> {
    return (await this.staff.list()).map(toStaffResponse);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One staff account' })
  @ApiResult(StaffResponseDto, { errors: [StaffErrorCode.StaffNotFound] })
  async get(@Param() params: IdParams): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.get(params.id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, realms, languages, password, or disable an account' })
  @ApiResult(StaffResponseDto, {
    errors: [StaffErrorCode.StaffNotFound, StaffErrorCode.CannotChangeSelf],
  })
  async update(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
    @Body() body: UpdateStaffDto,
  ): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.update(caller, params.id, body));
  }
}
