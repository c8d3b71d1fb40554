export {
  AccountIdField,
  BooleanField,
  CursorField,
  EnumField,
  EnumListField,
  LimitField,
  NestedField,
  NumberField,
  RealmIdField,
  TextField,
  TextListField,
  TimestampField,
  UuidField,
} from './field.decorators';
export {
  IdempotencyKeyField,
  LANGUAGE_TAG,
  ReportFieldsDto,
  ReportLocationDto,
  TicketFieldsDto,
} from './intake.dto';
export { VALIDATION_OPTIONS, createValidationPipe, flattenValidationErrors } from './validation';
