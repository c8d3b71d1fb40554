export { DeliveryListener, REVOCATION_CHANNEL } from './delivery-listener';
export type { DeliveryHint, DeliveryListenerHandlers } from './delivery-listener';
export { DeliveryModule } from './delivery.module';
export { DeliveryService, isSharedStream } from './delivery.service';
export { DELIVERY_CHANNEL } from './outbox.repository';
export type { StoredEvent, StreamState } from './outbox.repository';
export { planResume } from './resume-plan';
export type { ResumePlan } from './resume-plan';
