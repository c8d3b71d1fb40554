import { PasswordField, TextField } from '@gmdesk/dto';

export class LoginDto {
  @TextField({ max: 64, example: 'admin' })
  username!: string;

  // Not trimmed: a password is taken exactly as typed.
  @PasswordField({ max: 256 })
  password!: string;
}
