export * from './delivery';
export * from './domain';
export type { ErrorBody, ErrorEnvelope, ValidationProblem } from './errors';
export * from './events';
export type * from './payloads';
