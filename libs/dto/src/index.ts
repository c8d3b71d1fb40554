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
export { VALIDATION_OPTIONS, createValidationPipe, flattenValidationErrors } from './validation';
