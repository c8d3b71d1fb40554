export { CHAT_BATCH_BYTES, ChatBatchDto, ChatLineDocDto } from './chat.dto';
export { FailureWindow, countsAsFailedAuthentication } from './failure-window';
export {
  AccountIdField,
  BooleanField,
  CursorField,
  EnumField,
  EnumListField,
  LimitField,
  NestedField,
  NumberField,
  PasswordField,
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
export {
  DEFAULT_ARRAY_ITEMS,
  DEFAULT_PAYLOAD_BYTES,
  MAX_PAYLOAD_DEPTH,
  PayloadBudget,
  PayloadTooLargeError,
  ShallowPayload,
  inspectPayload,
  isPlainObject,
  isShallowPayload,
  payloadBudgetOf,
  type PayloadLimits,
  type PayloadProblem,
} from './payload-guard';
export {
  MAX_REPORTED_PROBLEMS,
  VALIDATION_OPTIONS,
  assertPayloadShape,
  boundedProblems,
  createValidationPipe,
  flattenValidationErrors,
  validationFailed,
  type TruncationMarker,
} from './validation';
