import type { StaffSession } from '@gmdesk/core';
import { ApiProperty } from '@nestjs/swagger';
import { StaffResponseDto, toStaffResponse } from '../../staff/dto/staff-response.dto';

export class SessionResponseDto {
  @ApiProperty({ description: 'Send as "Authorization: Bearer <accessToken>"' })
  accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: StaffResponseDto }) staff!: StaffResponseDto;
}

export function toSessionResponse(session: StaffSession): SessionResponseDto {
  return {
    accessToken: session.accessToken,
    tokenType: 'Bearer',
    expiresAt: session.expiresAt.toISOString(),
    staff: toStaffResponse(session.staff),
  };
}
