import { apiRole } from '@gmdesk/api';
import type { StaffRole } from '@gmdesk/contracts';
import {
  AuthService,
  RealmsService,
  StaffService,
  type ProcessRole,
  type ServingRole,
  type StaffPrincipal,
} from '@gmdesk/core';
import { gatewayRole } from '@gmdesk/gateway';
import { startTestApp, testConfig, type TestApp } from '@gmdesk/testing';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

export interface TestStaff {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly role: StaffRole;
  readonly token: string;
  readonly auth: string;
}

export interface TestRealm {
  readonly id: string;
  readonly secret: string;
}

export interface TestGameServer {
  readonly id: string;
  readonly realmId: string;
  readonly apiKey: string;
  readonly auth: string;
}

export interface TestPlayer {
  readonly accountId: string;
  readonly realmId: string;
  readonly token: string;
  readonly auth: string;
}

const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/**
 * The api on its own database, plus builders that create realms, staff, servers and players
 * through the real services (nothing seeded, nothing mocked).
 */
export class ApiTestContext {
  private rootActor?: StaffPrincipal;

  private constructor(readonly testApp: TestApp) {}

  /**
   * The api alone; with `{ gateway: true }` the api and the socket gateway on one port; or any
   * process shape, e.g. `{ roles: PLATFORM_ROLES }` for exactly what `npm start` composes.
   */
  static async start(
    config: Parameters<typeof testConfig>[0] = {},
    options: {
      gateway?: boolean;
      roles?: readonly [ServingRole, ...ProcessRole[]];
      /** Start another process on this context's database (close it before its owner). */
      sharing?: ApiTestContext;
    } = {},
  ): Promise<ApiTestContext> {
    const testApp = await startTestApp({
      config: testConfig(config),
      roles: options.roles ?? (options.gateway ? [apiRole, gatewayRole] : [apiRole]),
      database: options.sharing?.testApp.database,
    });
    return new ApiTestContext(testApp);
  }

  get url(): string {
    return this.testApp.url;
  }

  http(): TestAgent {
    return request(this.testApp.url);
  }

  close(): Promise<void> {
    return this.testApp.close();
  }

  get<T>(type: abstract new (...args: never[]) => T): T {
    return this.testApp.app.get(type as never);
  }

  /** An admin principal for builder calls that are audited. */
  private async actor(): Promise<StaffPrincipal> {
    if (!this.rootActor) {
      const staff = await this.get(StaffService).create(null, {
        username: unique('root'),
        displayName: 'Test root',
        role: 'admin',
        password: 'root-password-123',
      });
      this.rootActor = { kind: 'staff', staffId: staff.id, role: 'admin', realms: [] };
    }
    return this.rootActor;
  }

  async newStaff(role: StaffRole, options: { realms?: string[] } = {}): Promise<TestStaff> {
    const username = unique(role);
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const staff = await this.get(StaffService).create(null, {
      username,
      displayName: `Test ${role}`,
      role,
      password,
      realms: options.realms ?? [],
    });
    const session = await this.get(AuthService).login(username, password, { ip: 'test' });
    return {
      id: staff.id,
      username,
      password,
      role,
      token: session.accessToken,
      auth: `Bearer ${session.accessToken}`,
    };
  }

  async newRealm(id = unique('realm')): Promise<TestRealm> {
    const created = await this.get(RealmsService).createRealm(await this.actor(), {
      id,
      name: `Realm ${id}`,
    });
    return { id: created.realm.id, secret: created.playerTokenSecret };
  }

  async newGameServer(realm: TestRealm): Promise<TestGameServer> {
    const created = await this.get(RealmsService).createGameServer(
      await this.actor(),
      realm.id,
      unique('server'),
    );
    return {
      id: created.server.id,
      realmId: realm.id,
      apiKey: created.apiKey,
      auth: `ApiKey ${created.apiKey}`,
    };
  }

  /** A player token as a game backend would sign it (HS256 with the realm's secret). */
  async newPlayer(
    realm: TestRealm,
    options: { accountId?: string; expiresInSeconds?: number; name?: string; secret?: string } = {},
  ): Promise<TestPlayer> {
    const accountId = options.accountId ?? unique('player');
    const token = await signPlayerToken(
      options.secret ?? realm.secret,
      realm.id,
      accountId,
      options,
    );
    return { accountId, realmId: realm.id, token, auth: `Bearer ${token}` };
  }
}

export function signPlayerToken(
  secret: string,
  realmId: string,
  accountId: string,
  options: { expiresInSeconds?: number; name?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ realm: realmId, ...(options.name && { name: options.name }) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(accountId)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .sign(new TextEncoder().encode(secret));
}
