import { DeliveryListener } from '@gmdesk/delivery';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { RevocationBus, type RevocationSubject } from '../notifications/revocation-bus';
import { DATABASE_URL } from '../runtime.module';

const SUBJECT = /^(server|staff|realm):[^\s]{1,100}$/;

/**
 * Hears the revocations other processes commit (NOTIFY on gmdesk_revocations) and publishes them
 * on this process's RevocationBus, so that credential caches drop what another api or gateway
 * process revoked. After a (re)connect, notices sent meanwhile are lost: everything is dropped.
 */
@Injectable()
export class RevocationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationListener.name);
  private readonly listener: DeliveryListener;

  constructor(@Inject(DATABASE_URL) databaseUrl: string, revocations: RevocationBus) {
    this.listener = new DeliveryListener(databaseUrl, {
      onHint: () => undefined,
      onRevocation: (subject) => {
        if (SUBJECT.test(subject)) {
          revocations.publish(subject as RevocationSubject);
        }
      },
      onConnected: () => revocations.publish('*'),
      onError: (error) =>
        this.logger.warn({ err: error }, 'revocation listener connection problem; reconnecting'),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.listener.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.listener.stop();
  }
}
