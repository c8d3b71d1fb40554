import { Client } from 'pg';
import { DELIVERY_CHANNEL } from './outbox.repository';

/** Sessions to end at once: `server:<id>` (key revoked) or `staff:<id>` (account disabled). */
export const REVOCATION_CHANNEL = 'gmdesk_revocations';

export interface DeliveryHint {
  readonly stream: string;
  readonly seq: number;
}

export interface DeliveryListenerHandlers {
  /** A commit appended `seq` to `stream`: a hint to read the stream, nothing more. */
  readonly onHint: (hint: DeliveryHint) => void;
  /** A credential was revoked by some process: end the sessions that use it. */
  readonly onRevocation?: (subject: string) => void;
  /**
   * (Re)connected: notifications sent while we were away are lost, so every stream of interest
   * must be read again and live sessions re-checked. Also called after the first connect.
   */
  readonly onConnected: () => void;
  readonly onError?: (error: unknown) => void;
}

const MAX_BACKOFF_MS = 5000;

/**
 * LISTEN on a dedicated connection (a pooled one could be handed to someone else). NOTIFY is only
 * a wake-up: it can be lost while disconnected, so a reconnect asks for a full catch-up.
 */
export class DeliveryListener {
  private client?: Client;
  private stopped = false;
  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: DeliveryListenerHandlers,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private onNotification(channel: string, payload: string): void {
    if (channel === REVOCATION_CHANNEL) {
      this.handlers.onRevocation?.(payload);
      return;
    }
    const space = payload.indexOf(' ');
    const seq = Number(payload.slice(0, space));
    if (channel === DELIVERY_CHANNEL && space > 0 && Number.isSafeInteger(seq)) {
      this.handlers.onHint({ stream: payload.slice(space + 1), seq });
    }
  }

  private async connect(): Promise<void> {
    // keepAlive: a half-open connection (NAT timeout, failover) must end, so that we reconnect.
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'gmdesk-delivery-listener',
      keepAlive: true,
    });
    client.on('notification', (message) =>
      this.onNotification(message.channel, message.payload ?? ''),
    );
    client.on('error', (error) => {
      this.handlers.onError?.(error);
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERY_CHANNEL}`);
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
    } catch (error) {
      this.handlers.onError?.(error);
      this.scheduleReconnect(client);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.handlers.onConnected();
  }

  private scheduleReconnect(failed: Client): void {
    if (this.stopped || (this.client !== undefined && this.client !== failed)) {
      return;
    }
    this.client = undefined;
    failed.end().catch(() => undefined);
    clearTimeout(this.retryTimer);
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
