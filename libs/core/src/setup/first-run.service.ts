import { Injectable } from '@nestjs/common';
import { randomToken } from '../common/hashing';
import { RealmsService } from '../realms/realms.service';
import { StaffService } from '../staff/staff.service';
import { PlatformSettingsRepository } from './platform-settings.repository';

export interface FirstRunCredentials {
  readonly realmId: string;
  readonly playerTokenSecret: string;
  readonly adminUsername: string;
  readonly adminPassword: string;
  readonly gameServerApiKey: string;
}

const FIRST_RUN_SETTING = 'first_run_completed_at';
export const DEMO_REALM_ID = 'demo';

/**
 * On an empty database: a demo realm, an admin with a random password and one game-server key.
 * The credentials are returned exactly once, to the process that won the first-run marker; they
 * are never logged again (only hashes are stored).
 */
@Injectable()
export class FirstRunService {
  constructor(
    private readonly settings: PlatformSettingsRepository,
    private readonly staff: StaffService,
    private readonly realms: RealmsService,
  ) {}

  async seedIfEmpty(): Promise<FirstRunCredentials | null> {
    if ((await this.settings.get(FIRST_RUN_SETTING)) !== null || (await this.staff.hasAnyStaff())) {
      return null;
    }
    const claimed = await this.settings.insertIfAbsent(FIRST_RUN_SETTING, new Date().toISOString());
    if (!claimed) {
      return null;
    }
    const adminPassword = randomToken(15);
    const admin = await this.staff.create(null, {
      username: 'admin',
      displayName: 'Administrator',
      role: 'admin',
      password: adminPassword,
    });
    const actor = { kind: 'staff', staffId: admin.id, role: admin.role, realms: [] } as const;
    const { playerTokenSecret } = await this.realms.createRealm(actor, {
      id: DEMO_REALM_ID,
      name: 'Demo realm',
    });
    const { apiKey } = await this.realms.createGameServer(actor, DEMO_REALM_ID, 'demo-server-1');
    return {
      realmId: DEMO_REALM_ID,
      playerTokenSecret,
      adminUsername: admin.username,
      adminPassword,
      gameServerApiKey: apiKey,
    };
  }
}
