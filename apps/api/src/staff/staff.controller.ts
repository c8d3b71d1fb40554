import type { StaffPrincipal } from '@gmdesk/core';
import { StaffErrorCode, StaffService } from '@gmdesk/core';
import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller } from '../http/access.decorators';
import { IdParams } from '../http/common.dto';
import { ApiResult } from '../http/openapi';
import {
  StaffDirectoryEntryDto,
  StaffResponseDto,
  toStaffDirectoryEntry,
  toStaffResponse,
} from './dto/staff-response.dto';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';

@ApiTags('staff')
@Controller('staff')
@Allow('admin')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a staff account (a realm-restricted admin: only within its own realms)',
  })
  @ApiResult(StaffResponseDto, {
    errors: [StaffErrorCode.StaffConflict, StaffErrorCode.RealmsForbidden],
  })
  async create(
    @Caller() caller: StaffPrincipal,
    @Body() body: CreateStaffDto,
  ): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.create(caller, body));
  }

  @Get()
  @ApiOperation({
    summary: 'Staff accounts the caller manages (a realm-restricted admin: staff of its realms)',
  })
  @ApiResult([StaffResponseDto])
  async list(@Caller() caller: StaffPrincipal): Promise<StaffResponseDto[]> {
    return (await this.staff.list(caller)).map(toStaffResponse);
  }

  // Before `:id`, which would take "directory" for an id.
  @Get('directory')
  @Allow('agent')
  @ApiOperation({
    summary: 'Names of the staff who share a realm with you, for assignee and author labels',
  })
  @ApiResult([StaffDirectoryEntryDto])
  async directory(@Caller() caller: StaffPrincipal): Promise<StaffDirectoryEntryDto[]> {
    return (await this.staff.directory(caller)).map(toStaffDirectoryEntry);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One staff account' })
  @ApiResult(StaffResponseDto, { errors: [StaffErrorCode.StaffNotFound] })
  async get(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
  ): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.view(caller, params.id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role, realms, languages, password, or disable an account' })
  @ApiResult(StaffResponseDto, {
    errors: [
      StaffErrorCode.StaffNotFound,
      StaffErrorCode.CannotChangeSelf,
      StaffErrorCode.RealmsForbidden,
    ],
  })
  async update(
    @Caller() caller: StaffPrincipal,
    @Param() params: IdParams,
    @Body() body: UpdateStaffDto,
  ): Promise<StaffResponseDto> {
    return toStaffResponse(await this.staff.update(caller, params.id, body));
  }
}
