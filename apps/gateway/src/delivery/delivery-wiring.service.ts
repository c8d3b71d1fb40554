import { DATABASE_URL } from '@gmdesk/core';
import { DeliveryListener } from '@gmdesk/delivery';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SessionRegistry } from '../socket/session-registry';
import { StreamDispatcher } from './stream-dispatcher';

/** Connects PostgreSQL's notifications to this process's dispatcher and session registry. */
@Injectable()
export class DeliveryWiring
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(DeliveryWiring.name);
  private readonly listener: DeliveryListener;
  private connectedOnce = false;

  constructor(
    @Inject(DATABASE_URL) databaseUrl: string,
    private readonly dispatcher: StreamDispatcher,
    sessions: SessionRegistry,
  ) {
    this.listener = new DeliveryListener(databaseUrl, {
      onHint: (hint) => dispatcher.onHint(hint.stream),
      onRevocation: (subject) => sessions.revoke(subject),
      onConnected: () => {
        dispatcher.catchUpAll();
        if (this.connectedOnce) {
          void sessions.revalidateAll();
        }
        this.connectedOnce = true;
      },
      onError: (error) =>
        this.logger.warn({ err: error }, 'delivery listener connection problem; reconnecting'),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.listener.start();
  }

  /** Tell clients to reconnect (elsewhere) before the server stops accepting them. */
  beforeApplicationShutdown(): void {
    this.dispatcher.closeAll();
  }

  onApplicationShutdown(): Promise<void> {
    return this.listener.stop();
  }
}
