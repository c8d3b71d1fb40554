import { UuidField } from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';

export class IdParams {
  @UuidField()
  id!: string;
}

export class ErrorBodyDto {
  @ApiProperty({ example: 'validation_failed' })
  code!: string;

  @ApiProperty({
    example: 'Invalid request: description must be shorter than or equal to 2000 characters',
  })
  message!: string;

  @ApiProperty({
    required: false,
    nullable: true,
    description: 'For validation_failed: [{ field, problem }]',
  })
  details?: unknown;
}

export class ErrorEnvelopeDto {
  @ApiProperty({ type: ErrorBodyDto })
  error!: ErrorBodyDto;
}
