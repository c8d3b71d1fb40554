import { BooleanField } from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';

export class LogoutDto {
  @BooleanField({
    optional: true,
    description:
      'false or absent: end this token only (other console tabs and devices stay signed in). ' +
      'true: end every session of the account.',
  })
  everywhere?: boolean;
}

export class LogoutResponseDto {
  @ApiProperty({
    enum: ['token', 'everywhere'],
    description: 'What ended: this token, or every session of the account',
  })
  ended!: 'token' | 'everywhere';
}
