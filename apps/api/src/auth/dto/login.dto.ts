import { TextField } from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @TextField({ max: 64, example: 'admin' })
  username!: string;

  // Not trimmed: a password is taken exactly as typed.
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  @ApiProperty({ type: String, maxLength: 256 })
  password!: string;
}
