import {
  RESUMED_EVENT,
  SESSION_CLOSING_EVENT,
  type Ack,
  type ClientRequest,
  type DeliveredEvent,
  type ResumeRequest,
  type ResumeResult,
  type ResyncReason,
} from '@gmdesk/contracts';
import { io, type Socket } from 'socket.io-client';
import { GmdeskConnectError, GmdeskRequestError, type SessionEndReason } from './errors';
import { SeqTracker, type StreamPosition } from './seq-tracker';

/**
 * Sent by the gateway right before it ends a session (apps/gateway/src/socket/socket-session.ts).
 * Repeated here because contracts does not declare it yet.
 */
// The name is part of the protocol, defined once in contracts; re-exported for SDK users.
export { SESSION_CLOSING_EVENT };

/** Where `{ epoch, lastSeq }` survives restarts (a file, localStorage, a database row). */
export interface PositionStore {
  load(): StreamPosition | undefined;
  save(position: StreamPosition): void;
}

export interface GmdeskClientOptions {
  /** The platform's URL without a namespace, e.g. `https://gmdesk.example.com`. */
  readonly baseUrl: string;
  /** Keeps the stream position across restarts; in memory by default. */
  readonly store?: PositionStore;
  /** Default time `request()` waits for an ack. */
  readonly requestTimeoutMs?: number;
  /** How long a `resume` (the replay of missed events) may take before the client reconnects. */
  readonly resumeTimeoutMs?: number;
  /** Reconnection backoff: first delay and cap. */
  readonly reconnectionDelayMs?: number;
  readonly reconnectionDelayMaxMs?: number;
  /** Node only: extra handshake headers (e.g. `origin`). */
  readonly extraHeaders?: Record<string, string>;
}

export interface RequestOptions {
  readonly timeoutMs?: number;
}

export interface ConnectOptions {
  /** Give up (and close the client) if not connected and resumed by then. */
  readonly timeoutMs?: number;
}

/** Where a durable event sits in its stream, given to its handlers beside the data. */
export interface DeliveryMeta {
  readonly stream: string;
  readonly epoch: string;
  readonly seq: number;
  readonly at: string;
}

/** Runs once per event, in stream order; the next event waits for a returned promise. */
export type DurableHandler<T> = (data: T, meta: DeliveryMeta) => void | Promise<void>;
export type EphemeralHandler<T> = (body: T) => void;
/** Called when missed history cannot be replayed: re-fetch what you show over REST. */
export type ResyncHandler = (
  reason: ResyncReason,
  position: StreamPosition,
) => void | Promise<void>;
export type Unsubscribe = () => void;

/**
 * The connection as an app shows it:
 * - `connected`: connected and resumed (missed events replayed): live;
 * - `disconnected`: lost (or not yet made); the client is reconnecting by itself;
 * - `stopped`: `close()` was called, or the server refused for a reason a retry cannot fix
 *   (`reason` says which); nothing happens until `connect()` is called again.
 */
export type ConnectionState = 'connected' | 'disconnected' | 'stopped';
export type StateListener = (state: ConnectionState, reason?: SessionEndReason) => void;

/**
 * The handshake credentials, or a function socket.io calls before every (re)connect, so that a
 * reconnect uses the current credential (a renewed access token) rather than the first one.
 */
export type HandshakeAuth =
  Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

/** How a resume ended: the missed events were replayed, or the client had to re-sync. */
export type ResumeOutcome = ResumeResult;

/** The handler type of event `K`: durable events get `(data, meta)`, ephemeral ones the body. */
export type HandlerFor<Durable, Ephemeral, K> = K extends keyof Durable
  ? DurableHandler<Durable[K]>
  : K extends keyof Ephemeral
    ? EphemeralHandler<Ephemeral[K]>
    : never;

export type PayloadOf<Requests, K extends keyof Requests> =
  Requests[K] extends ClientRequest<infer Payload, object> ? Payload : never;
export type ResultOf<Requests, K extends keyof Requests> =
  Requests[K] extends ClientRequest<object, infer Result extends object> ? Result : never;

type AnyHandler = (body: unknown, meta: DeliveryMeta) => void | Promise<void>;

interface PendingConnect {
  readonly resolve: (outcome: ResumeOutcome) => void;
  readonly reject: (error: GmdeskConnectError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly promise: Promise<ResumeOutcome>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_RESUME_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const DEFAULT_RECONNECTION_DELAY_MS = 1_000;
const DEFAULT_RECONNECTION_DELAY_MAX_MS = 5_000;
/** socket.io-client's message when a connection drops while an ack is awaited. */
const DISCONNECTED_ACK_MESSAGE = 'socket has been disconnected';

/**
 * The shared machinery of the three clients: one socket.io connection to a namespace, durable
 * delivery (resume after every connect, exactly-once in-order processing), typed requests, and
 * the close reasons the server gives.
 */
export abstract class GmdeskClient<
  Durable extends object,
  Ephemeral extends object,
  Requests extends object,
> {
  private readonly socket: Socket;
  private readonly store: PositionStore | undefined;
  private readonly tracker: SeqTracker<DeliveredEvent>;
  private readonly requestTimeoutMs: number;
  private readonly resumeTimeoutMs: number;
  private readonly reconnectionDelayMs: number;
  private readonly reconnectionDelayMaxMs: number;

  private readonly handlers = new Map<string, Set<AnyHandler>>();
  private readonly resyncHandlers = new Set<ResyncHandler>();
  private readonly resumedHandlers = new Set<(outcome: ResumeOutcome) => void>();
  private readonly closedHandlers = new Set<(reason: SessionEndReason) => void>();
  private readonly errorHandlers = new Set<(error: unknown) => void>();
  private readonly stateListeners = new Set<StateListener>();
  private currentState: ConnectionState = 'disconnected';
  /** True when the credential comes from a function: an expired one may have been renewed. */
  private readonly renewableAuth: boolean;
  /** Handshakes refused as `token_expired` since the last connect (one retry each time). */
  private expiredRefusals = 0;

  /** True from connect() until close() or a reason the server says not to retry after. */
  private wanted = false;
  /** Bumped on every connect and disconnect, so work of a dropped connection is discarded. */
  private generation = 0;
  private everConnected = false;
  /** Durable events are processed one after the other, through this chain. */
  private processing: Promise<void> = Promise.resolve();
  private pendingConnect: PendingConnect | undefined;
  private lastOutcome: ResumeOutcome | undefined;
  private lastConnectError: SessionEndReason | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private manualReconnectAttempts = 0;
  private lastCloseReason: SessionEndReason | undefined;

  protected constructor(
    namespace: '/player' | '/staff' | '/game',
    auth: HandshakeAuth,
    options: GmdeskClientOptions,
  ) {
    this.renewableAuth = typeof auth === 'function';
    this.store = options.store;
    this.tracker = new SeqTracker(this.store?.load() ?? { lastSeq: 0 });
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.resumeTimeoutMs = options.resumeTimeoutMs ?? DEFAULT_RESUME_TIMEOUT_MS;
    this.reconnectionDelayMs = options.reconnectionDelayMs ?? DEFAULT_RECONNECTION_DELAY_MS;
    this.reconnectionDelayMaxMs =
      options.reconnectionDelayMaxMs ?? DEFAULT_RECONNECTION_DELAY_MAX_MS;
    this.socket = io(`${options.baseUrl.replace(/\/+$/, '')}${namespace}`, {
      // The gateway accepts websocket only (no long-polling, so no sticky sessions needed).
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: this.reconnectionDelayMs,
      reconnectionDelayMax: this.reconnectionDelayMaxMs,
      autoConnect: false,
      // One manager per client: closing one client must not close another to the same server.
      forceNew: true,
      auth: typeof auth === 'function' ? (callback) => this.provideAuth(auth, callback) : auth,
      extraHeaders: options.extraHeaders,
    });
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    this.socket.on('connect_error', (error) => this.onConnectError(error));
    this.socket.on(SESSION_CLOSING_EVENT, (body: unknown) => this.onSessionClosing(body));
    this.socket.onAny((name: string, body: unknown) => this.onIncoming(name, body));
  }

  /** The stream position: the epoch and the seq of the last event processed. */
  get position(): StreamPosition {
    return this.tracker.position;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** `connected` (live, resumed), `disconnected` (reconnecting) or `stopped`. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /**
   * Called on every change of `state` (not with the current one): an app shows live /
   * reconnecting / stopped from it without polling `connected`. `stopped` comes with the
   * server's reason when it refused (bad or expired credential), without one after `close()`.
   */
  onStateChange(listener: StateListener): Unsubscribe {
    return subscribe(this.stateListeners, listener);
  }

  /** Why the server last ended (or refused) the session, if it did. */
  get closeReason(): SessionEndReason | undefined {
    return this.lastCloseReason;
  }

  /**
   * Connects and resumes the stream. Resolves once connected and the missed events have been
   * handed to the handlers (or `onResync` ran). Rejects with a `GmdeskConnectError` when the
   * server refuses with `retry: false` (bad credential: no endless reconnecting), or when nothing
   * worked within `timeoutMs`; the client is then closed. Register handlers before calling it.
   */
  connect(options: ConnectOptions = {}): Promise<ResumeOutcome> {
    if (this.pendingConnect) {
      return this.pendingConnect.promise;
    }
    if (this.wanted && this.socket.connected && !this.tracker.resuming && this.lastOutcome) {
      return Promise.resolve(this.lastOutcome);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let resolve!: (outcome: ResumeOutcome) => void;
    let reject!: (error: GmdeskConnectError) => void;
    const promise = new Promise<ResumeOutcome>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    const timer = setTimeout(() => {
      const reason = this.lastConnectError ?? {
        code: 'connect_timeout',
        message: `Not connected within ${timeoutMs} ms.`,
        retry: true,
      };
      this.settleConnect(new GmdeskConnectError(reason));
      this.close();
    }, timeoutMs);
    this.pendingConnect = { resolve, reject, timer, promise };
    if (!this.wanted) {
      this.wanted = true;
      this.setState('disconnected');
      this.lastConnectError = undefined;
      this.socket.io.reconnection(true);
      this.socket.connect();
    }
    return promise;
  }

  /** Disconnects and stops reconnecting. `connect()` may be called again later. */
  close(): void {
    this.wanted = false;
    this.setState('stopped');
    this.clearReconnectTimer();
    this.settleConnect(
      new GmdeskConnectError({
        code: 'client_closed',
        message: 'close() was called before the connection was ready.',
        retry: false,
      }),
    );
    this.socket.disconnect();
  }

  /**
   * Sends a client event and resolves with its ack. The server's refusals resolve as
   * `{ ok: false, error }`; only a missing ack (timeout, dropped connection) rejects, with a
   * `GmdeskRequestError`. While reconnecting, the event is sent once the connection is back.
   */
  async request<K extends keyof Requests & string>(
    event: K,
    payload: PayloadOf<Requests, K>,
    options: RequestOptions = {},
  ): Promise<Ack<ResultOf<Requests, K>>> {
    return this.send<ResultOf<Requests, K>>(
      event,
      payload,
      options.timeoutMs ?? this.requestTimeoutMs,
    );
  }

  /**
   * Subscribes to a server event. Durable events (stored and replayed) reach the handler once
   * each, in stream order, as `(data, meta)`; ephemeral ones (typing, presence) as their body.
   */
  on<K extends (keyof Durable | keyof Ephemeral) & string>(
    event: K,
    handler: HandlerFor<Durable, Ephemeral, K>,
  ): Unsubscribe {
    const handlers = this.handlers.get(event) ?? new Set<AnyHandler>();
    this.handlers.set(event, handlers);
    const stored = handler as AnyHandler;
    handlers.add(stored);
    return () => handlers.delete(stored);
  }

  /** Resolves with the data of the next `event` that matches, or rejects after `timeoutMs`. */
  waitFor<K extends (keyof Durable | keyof Ephemeral) & string>(
    event: K,
    options: {
      timeoutMs?: number;
      match?: (data: EventData<Durable, Ephemeral, K>) => boolean;
    } = {},
  ): Promise<EventData<Durable, Ephemeral, K>> {
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`No "${event}" event within ${timeoutMs} ms.`));
      }, timeoutMs);
      const handler: AnyHandler = (body) => {
        const data = body as EventData<Durable, Ephemeral, K>;
        if (!options.match || options.match(data)) {
          clearTimeout(timer);
          unsubscribe();
          resolve(data);
        }
      };
      const unsubscribe = this.on(event, handler as HandlerFor<Durable, Ephemeral, K>);
    });
  }

  /** The history could not be replayed (pruned, stream reset): re-fetch over REST. Awaited. */
  onResync(handler: ResyncHandler): Unsubscribe {
    return subscribe(this.resyncHandlers, handler);
  }

  /** After every (re)connect, once the missed events were processed or the client re-synced. */
  onResumed(handler: (outcome: ResumeOutcome) => void): Unsubscribe {
    return subscribe(this.resumedHandlers, handler);
  }

  /**
   * The server ended the session (`session.closing`), or refused a reconnect. With
   * `retry: false` the client has stopped and needs a new credential; otherwise it reconnects.
   */
  onClosed(handler: (reason: SessionEndReason) => void): Unsubscribe {
    return subscribe(this.closedHandlers, handler);
  }

  /** Errors nobody awaits: a handler that threw, a failed resume. Logged to the console if unset. */
  onError(handler: (error: unknown) => void): Unsubscribe {
    return subscribe(this.errorHandlers, handler);
  }

  /**
   * Per-connection state the server forgets on disconnect (staff queue filters, watched tickets).
   * Runs after each reconnect, before `resume`, so the replay already honours it.
   */
  protected async restoreSession(): Promise<void> {}

  /** The ack is only checked for `{ ok }`; its shape beyond that is the server's contract for `event`. */
  private async send<Result extends object>(
    event: string,
    payload: unknown,
    timeoutMs: number,
  ): Promise<Ack<Result>> {
    if (!this.wanted) {
      throw new GmdeskRequestError(
        'not_connected',
        event,
        `Cannot send "${event}": the client is not connected (call connect()).`,
      );
    }
    let ack: unknown;
    try {
      ack = await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch (error) {
      const dropped = error instanceof Error && error.message === DISCONNECTED_ACK_MESSAGE;
      throw new GmdeskRequestError(
        dropped ? 'disconnected' : 'timeout',
        event,
        dropped
          ? `The connection dropped before "${event}" was acknowledged; it may or may not have been applied.`
          : `No ack for "${event}" within ${timeoutMs} ms; it may or may not have been applied.`,
        { cause: error },
      );
    }
    if (!isAck<Result>(ack)) {
      throw new GmdeskRequestError(
        'invalid_ack',
        event,
        `The ack of "${event}" is not { ok, ... }.`,
      );
    }
    return ack;
  }

  private onConnect(): void {
    this.generation += 1;
    this.everConnected = true;
    this.manualReconnectAttempts = 0;
    this.expiredRefusals = 0;
    this.lastConnectError = undefined;
    // Live events may arrive before the replay of older ones: hold them until the resume ack.
    this.tracker.beginResume();
    void this.resume(this.generation, { restore: true });
  }

  private async resume(generation: number, options: { restore: boolean }): Promise<void> {
    try {
      if (options.restore) {
        await this.restoreSession();
      }
      if (generation !== this.generation) {
        return;
      }
      const request: ResumeRequest = this.tracker.resumeRequest();
      const ack = await this.send<ResumeResult>('resume', request, this.resumeTimeoutMs);
      if (generation !== this.generation) {
        return;
      }
      if (!ack.ok) {
        throw new Error(`resume was refused: ${ack.error.code}: ${ack.error.message}`);
      }
      const { ok: _ok, ...outcome } = ack;
      this.applyResume(outcome);
    } catch (error) {
      if (generation !== this.generation) {
        return;
      }
      this.tracker.abandonResume();
      this.reportError(error);
      // Start over on a fresh connection (socket.io's backoff applies): without a completed
      // resume, in-order delivery cannot be guaranteed on this one.
      this.socket.io.engine.close();
    }
  }

  private applyResume(outcome: ResumeOutcome): void {
    const released = this.tracker.completeResume(outcome);
    if (outcome.resync) {
      const position = this.tracker.position;
      this.enqueue(async () => {
        for (const handler of [...this.resyncHandlers]) {
          await this.runHandler(() => handler(outcome.reason, position));
        }
        // Saved only after the re-fetch ran: a crash before it re-syncs again on restart.
        this.savePosition();
      });
    }
    for (const event of released) {
      this.enqueue(() => this.process(event));
    }
    if (!outcome.resync) {
      this.enqueue(() => {
        this.tracker.advanceTo({ epoch: outcome.epoch, lastSeq: outcome.lastSeq });
        this.savePosition();
      });
    }
    this.enqueue(() => {
      this.lastOutcome = outcome;
      if (this.wanted && this.socket.connected) {
        this.setState('connected');
      }
      this.settleConnect(outcome);
      for (const handler of [...this.resumedHandlers]) {
        void this.runHandler(() => handler(outcome));
      }
    });
  }

  private onIncoming(name: string, body: unknown): void {
    if (name === SESSION_CLOSING_EVENT || name === RESUMED_EVENT) {
      // `session.closing` has its own listener; `resumed` is redundant with the resume ack.
      return;
    }
    if (!isDeliveredEvent(name, body)) {
      for (const handler of [...(this.handlers.get(name) ?? [])]) {
        void this.runHandler(() => (handler as EphemeralHandler<unknown>)(body));
      }
      return;
    }
    const received = this.tracker.receive(body);
    switch (received.kind) {
      case 'ready':
        for (const event of received.events) {
          this.enqueue(() => this.process(event));
        }
        return;
      case 'held':
        return;
      case 'resume_needed':
        void this.resume(this.generation, { restore: false });
        return;
    }
  }

  private async process(event: DeliveredEvent): Promise<void> {
    // Checked here, not on arrival: a replay may overlap events queued before it.
    if (!this.tracker.isNew(event)) {
      return;
    }
    const meta: DeliveryMeta = {
      stream: event.stream,
      epoch: event.epoch,
      seq: event.seq,
      at: event.at,
    };
    for (const handler of [...(this.handlers.get(event.event) ?? [])]) {
      await this.runHandler(() => handler(event.data, meta));
    }
    // A handler that throws does not stop the stream (it would block every later event); the
    // error goes to onError. A crash before this line redelivers the event on restart.
    this.tracker.markProcessed(event);
    this.savePosition();
  }

  private onDisconnect(reason: string): void {
    this.generation += 1;
    this.tracker.abandonResume();
    if (!this.wanted) {
      return;
    }
    this.setState('disconnected');
    // socket.io reconnects by itself after transport failures, but not when the server ended the
    // session: then it is up to us (session.closing with retry: false has already set `wanted`).
    if (reason === 'io server disconnect') {
      this.scheduleReconnect();
    }
  }

  private onConnectError(error: Error & { data?: unknown }): void {
    const reason = connectErrorReason(error);
    this.lastConnectError = reason;
    if (!this.wanted || this.socket.active) {
      // Still active: a transport failure that socket.io retries with its own backoff.
      return;
    }
    // The server refused the handshake; socket.io does not retry that by itself.
    if (reason.retry) {
      this.scheduleReconnect();
      return;
    }
    // An expired token from a credential function (a laptop waking up after the token's end):
    // ask it once more, it may have renewed the token meanwhile; a second refusal stops.
    if (reason.code === 'token_expired' && this.renewableAuth && this.expiredRefusals === 0) {
      this.expiredRefusals += 1;
      this.scheduleReconnect();
      return;
    }
    this.stop(reason, error);
  }

  private onSessionClosing(body: unknown): void {
    const reason = sessionEndReason(body, {
      code: 'session_closed',
      message: 'The server ended the session.',
      retry: true,
    });
    // The token expired, but the function that gives it may have a renewed one by now: reconnect
    // and ask it (a handshake with a still-expired token is refused and stops the client then).
    if (reason.retry || (reason.code === 'token_expired' && this.renewableAuth)) {
      const retrying = { ...reason, retry: true };
      this.lastCloseReason = retrying;
      this.notifyClosed(retrying);
      return;
    }
    this.stop(reason);
  }

  /** Stops for good on the server's word: no reconnecting until connect() is called again. */
  private stop(reason: SessionEndReason, cause?: unknown): void {
    this.wanted = false;
    this.clearReconnectTimer();
    this.socket.io.reconnection(false);
    this.lastCloseReason = reason;
    this.setState('stopped', reason);
    this.settleConnect(new GmdeskConnectError(reason, { cause }));
    if (this.everConnected) {
      this.notifyClosed(reason);
    }
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || !this.wanted) {
      return;
    }
    const exponential = this.reconnectionDelayMs * 2 ** this.manualReconnectAttempts;
    const delay = Math.min(exponential, this.reconnectionDelayMaxMs) * (0.5 + Math.random() / 2);
    this.manualReconnectAttempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.wanted) {
        this.socket.connect();
      }
    }, delay);
  }

  private clearReconnectTimer(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private settleConnect(result: ResumeOutcome | GmdeskConnectError): void {
    const pending = this.pendingConnect;
    if (!pending) {
      return;
    }
    this.pendingConnect = undefined;
    clearTimeout(pending.timer);
    if (result instanceof GmdeskConnectError) {
      pending.reject(result);
    } else {
      pending.resolve(result);
    }
  }

  private enqueue(work: () => void | Promise<void>): void {
    this.processing = this.processing.then(work).catch((error: unknown) => this.reportError(error));
  }

  private async runHandler(call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.reportError(error);
    }
  }

  private savePosition(): void {
    try {
      this.store?.save(this.tracker.position);
    } catch (error) {
      this.reportError(error);
    }
  }

  private setState(state: ConnectionState, reason?: SessionEndReason): void {
    if (state === this.currentState) {
      return;
    }
    this.currentState = state;
    for (const listener of [...this.stateListeners]) {
      void this.runHandler(() => listener(state, reason));
    }
  }

  /** socket.io's `auth` callback: the credential function's current answer. */
  private provideAuth(
    auth: () => Record<string, string> | Promise<Record<string, string>>,
    callback: (data: object) => void,
  ): void {
    Promise.resolve()
      .then(auth)
      .then(callback, (error: unknown) => {
        // No credential: the server refuses the handshake as unauthenticated, which stops us.
        this.reportError(error);
        callback({});
      });
  }

  private notifyClosed(reason: SessionEndReason): void {
    for (const handler of [...this.closedHandlers]) {
      void this.runHandler(() => handler(reason));
    }
  }

  /** Hands an error nobody awaits to `onError` handlers (or the console). */
  protected reportError(error: unknown): void {
    if (this.errorHandlers.size === 0) {
      console.error('[gmdesk sdk]', error);
      return;
    }
    for (const handler of [...this.errorHandlers]) {
      try {
        handler(error);
      } catch {
        // An error handler that throws has nowhere left to report to.
      }
    }
  }
}

/** The data a handler of `K` receives first. */
export type EventData<Durable, Ephemeral, K> = K extends keyof Durable
  ? Durable[K]
  : K extends keyof Ephemeral
    ? Ephemeral[K]
    : never;

function subscribe<T>(set: Set<T>, handler: T): Unsubscribe {
  set.add(handler);
  return () => set.delete(handler);
}

function isAck<Result extends object>(value: unknown): value is Ack<Result> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { ok?: unknown }).ok === 'boolean'
  );
}

/** Durable events carry their stream position; ephemeral ones (typing, presence) do not. */
function isDeliveredEvent(name: string, body: unknown): body is DeliveredEvent {
  if (typeof body !== 'object' || body === null) {
    return false;
  }
  const candidate = body as Partial<Record<keyof DeliveredEvent, unknown>>;
  return (
    candidate.event === name &&
    typeof candidate.stream === 'string' &&
    typeof candidate.epoch === 'string' &&
    typeof candidate.seq === 'number'
  );
}

function sessionEndReason(value: unknown, fallback: SessionEndReason): SessionEndReason {
  if (typeof value !== 'object' || value === null) {
    return fallback;
  }
  const candidate = value as Partial<Record<keyof SessionEndReason, unknown>>;
  return {
    code: typeof candidate.code === 'string' ? candidate.code : fallback.code,
    message: typeof candidate.message === 'string' ? candidate.message : fallback.message,
    retry: typeof candidate.retry === 'boolean' ? candidate.retry : fallback.retry,
  };
}

/** A refusal carries `data = { code, message, retry }`; a transport failure only a message. */
function connectErrorReason(error: Error & { data?: unknown }): SessionEndReason {
  return sessionEndReason(error.data, {
    code: 'transport_error',
    message: error.message,
    retry: true,
  });
}
