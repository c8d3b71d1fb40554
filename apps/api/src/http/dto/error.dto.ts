import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

export class ValidationProblemDto {
  @ApiProperty({ example: 'description' }) field!: string;
  @ApiProperty({ example: 'must be shorter than or equal to 2000 characters' }) problem!: string;
}

export class ErrorBodyDto {
  @ApiProperty({
    example: 'validation_failed',
    description: 'Stable, lowercase snake_case; each error response lists the ones it can carry',
  })
  code!: string;

  @ApiProperty({
    example: 'Invalid request: description must be shorter than or equal to 2000 characters',
    description: 'Safe to show to the user; do not parse it',
  })
  message!: string;

  @ApiProperty({
    nullable: true,
    description:
      'validation_failed: the list of problems; rate limits: { retryAfterSeconds }; ' +
      'internal: { correlationId }; otherwise null or an object about the error',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(ValidationProblemDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details!: ValidationProblemDto[] | Record<string, unknown> | null;
}

export class ErrorEnvelopeDto {
  @ApiProperty({ type: ErrorBodyDto })
  error!: ErrorBodyDto;
}
