import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomToken } from '../common/hashing';
import { PlatformSettingsRepository } from './platform-settings.repository';

const SETTING = 'staff_jwt_secret';

/**
 * The HS256 secret for staff tokens. JWT_SECRET wins; without it the first process to boot
 * generates one and keeps it in the database, so every api/gateway process shares it and tokens
 * survive restarts.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private key?: Uint8Array;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: PlatformSettingsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    let secret = this.config.jwtSecret;
    if (!secret) {
      await this.settings.insertIfAbsent(SETTING, randomToken(48));
      secret = (await this.settings.get(SETTING)) ?? undefined;
    }
    if (!secret) {
      throw new Error('could not load or create the staff token secret');
    }
    this.key = new TextEncoder().encode(secret);
  }

  staffTokenKey(): Uint8Array {
    if (!this.key) {
      throw new Error('SigningKeyService used before module init');
    }
    return this.key;
  }
}
