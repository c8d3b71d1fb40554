import { STAFF_ROLES, type StaffRole } from '@gmdesk/contracts';
import { BooleanField, EnumField, PasswordField, TextField, TextListField } from '@gmdesk/dto';

const REALM_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export class CreateStaffDto {
  @TextField({
    max: 64,
    pattern: /^[A-Za-z0-9_.-]{3,64}$/,
    patternMessage: 'must be 3-64 letters, digits, _ . -',
    example: 'gm.alice',
  })
  username!: string;

  @TextField({ max: 100, example: 'GM Alice' })
  displayName!: string;

  @EnumField(STAFF_ROLES)
  role!: StaffRole;

  @PasswordField({ min: 12, max: 256 })
  password!: string;

  @TextListField({
    optional: true,
    maxItems: 100,
    maxLength: 40,
    pattern: REALM_PATTERN,
    description: 'Empty or absent: all realms',
  })
  realms?: string[];

  @TextListField({
    optional: true,
    maxItems: 20,
    maxLength: 16,
    pattern: LANGUAGE_PATTERN,
    example: ['en', 'de'],
  })
  languages?: string[];
}

export class UpdateStaffDto {
  @TextField({ optional: true, max: 100 })
  displayName?: string;

  @EnumField(STAFF_ROLES, { optional: true })
  role?: StaffRole;

  @PasswordField({ optional: true, min: 12, max: 256 })
  password?: string;

  @TextListField({ optional: true, maxItems: 100, maxLength: 40, pattern: REALM_PATTERN })
  realms?: string[];

  @TextListField({ optional: true, maxItems: 20, maxLength: 16, pattern: LANGUAGE_PATTERN })
  languages?: string[];

  @BooleanField({
    optional: true,
    description: 'A disabled account cannot log in; its tokens stop working at once',
  })
  disabled?: boolean;
}
