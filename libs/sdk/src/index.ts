export { GmdeskConnectError, GmdeskRequestError } from './errors';
export type { RequestFailure, SessionEndReason } from './errors';
export { GameServerClient } from './game-server-client';
export type { GameServerClientOptions, PageRequest, PlayerProfile } from './game-server-client';
export { GmdeskClient, SESSION_CLOSING_EVENT } from './gmdesk-client';
export type {
  ConnectOptions,
  ConnectionState,
  DeliveryMeta,
  DurableHandler,
  EphemeralHandler,
  EventData,
  GmdeskClientOptions,
  HandlerFor,
  HandshakeAuth,
  PayloadOf,
  PositionStore,
  RequestOptions,
  ResultOf,
  ResumeOutcome,
  ResyncHandler,
  StateListener,
  Unsubscribe,
} from './gmdesk-client';
export { PlayerClient } from './player-client';
export type { PlayerClientOptions, PlayerEphemeralEvents } from './player-client';
export type { StreamPosition } from './seq-tracker';
export { StaffClient } from './staff-client';
export type { StaffClientOptions, StaffEphemeralEvents } from './staff-client';
