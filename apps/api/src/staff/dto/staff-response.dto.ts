import { STAFF_ROLES, type StaffRole } from '@gmdesk/contracts';
import type { StaffEntity } from '@gmdesk/core';
import { ApiProperty } from '@nestjs/swagger';

export class StaffResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({
    type: [String],
    description: 'Realms this staff member works in; empty means all',
  })
  realms!: string[];
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export function toStaffResponse(staff: StaffEntity): StaffResponseDto {
  return {
    id: staff.id,
    username: staff.username,
    displayName: staff.displayName,
    role: staff.role,
    realms: staff.realms,
    languages: staff.languages,
    disabled: staff.disabledAt !== null,
    createdAt: staff.createdAt.toISOString(),
  };
}

/** A colleague's name, for assignee and author labels (`GET /staff/directory`). */
export class StaffDirectoryEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() displayName!: string;
}

export function toStaffDirectoryEntry(staff: StaffEntity): StaffDirectoryEntryDto {
  return { id: staff.id, displayName: staff.displayName };
}
