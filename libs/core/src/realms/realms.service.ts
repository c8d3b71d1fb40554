import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { TransactionRunner } from '@gmdesk/db';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CommonError, CommonErrorCode, UnauthenticatedError } from '../common/domain-error';
import { constantTimeEquals, randomToken, sha256 } from '../common/hashing';
import { GameServerPrincipal, StaffPrincipal, staffCoversRealm } from '../common/principal';
import { realmScopeOf } from '../common/realm-scope';
import { ClientEventsService } from '../notifications/client-events.service';
import { GameServerEntity } from './game-server.entity';
import { mayCreateRealm } from './realm-admin';
import { RealmEntity } from './realm.entity';
import { RealmError, RealmErrorCode } from './realms.errors';
import { RealmsRepository } from './realms.repository';

export interface CreateRealmInput {
  readonly id: string;
  readonly name: string;
}

export interface CreatedRealm {
  readonly realm: RealmEntity;
  /** The HS256 secret for player tokens: returned once, at creation. */
  readonly playerTokenSecret: string;
}

export interface RotatedPlayerTokenSecret {
  readonly realm: RealmEntity;
  /** The new HS256 secret: returned once, at rotation. */
  readonly playerTokenSecret: string;
  /** Until when the replaced secret still verifies tokens; null when it stopped at once. */
  readonly previousSecretValidUntil: Date | null;
  readonly rotatedAt: Date;
}

/** The secrets a realm's player tokens verify with right now, newest first. */
export interface PlayerTokenSecrets {
  readonly current: string;
  /** The replaced secret during its overlap window, with when it stops. */
  readonly previous: { readonly secret: string; readonly validUntil: Date } | null;
}

/** The longest overlap a rotation may keep the old secret for. */
export const MAX_SECRET_OVERLAP_SECONDS = 30 * 24 * 3600;

export interface CreatedGameServer {
  readonly server: GameServerEntity;
  /** The full API key: returned once; only its hash is stored. */
  readonly apiKey: string;
}

const API_KEY_PATTERN = /^gmd_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

@Injectable()
export class RealmsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RealmsRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly events: ClientEventsService,
  ) {}

  createRealm(actor: StaffPrincipal, input: CreateRealmInput): Promise<CreatedRealm> {
    if (!mayCreateRealm(actor)) {
      return Promise.reject(new RealmError(RealmErrorCode.RealmCreateForbidden));
    }
    const playerTokenSecret = randomToken(32);
    return this.transactions.run(async (manager) => {
      const realm = await this.repository.insertRealm({ ...input, playerTokenSecret }, manager);
      if (!realm) {
        throw new RealmError(RealmErrorCode.RealmConflict, { id: input.id });
      }
      await this.audit.record(
        actor,
        {
          action: 'realm.create',
          targetType: 'realm',
          targetId: realm.id,
          realmId: realm.id,
          after: input,
        },
        manager,
      );
      return { realm, playerTokenSecret };
    });
  }

  listRealms(viewer: StaffPrincipal): Promise<RealmEntity[]> {
    return this.repository.listRealms(realmScopeOf(viewer));
  }

  async requireRealm(realmId: string): Promise<RealmEntity> {
    const realm = await this.repository.findRealm(realmId);
    if (!realm) {
      throw new RealmError(RealmErrorCode.RealmNotFound, { realmId });
    }
    return realm;
  }

  /** A realm the staff member works in; one outside their realms is "not found", like revoke. */
  async requireRealmFor(actor: StaffPrincipal, realmId: string): Promise<RealmEntity> {
    if (!staffCoversRealm(actor, realmId)) {
      throw new RealmError(RealmErrorCode.RealmNotFound, { realmId });
    }
    return this.requireRealm(realmId);
  }

  /**
   * The secrets player tokens of this realm verify with at `now`: the current one, and the one
   * the last rotation replaced while its overlap lasts. Null for an unknown realm.
   */
  async findPlayerTokenSecrets(realmId: string, now: Date): Promise<PlayerTokenSecrets | null> {
    const realm = await this.repository.findRealm(realmId);
    if (!realm) {
      return null;
    }
    const previous = realm.previousPlayerTokenSecret;
    const validUntil = realm.previousPlayerTokenSecretValidUntil;
    return {
      current: realm.playerTokenSecret,
      previous:
        previous !== null && validUntil !== null && validUntil > now
          ? { secret: previous, validUntil }
          : null,
    };
  }

  /**
   * A new player-token secret for the realm, returned once. The replaced one keeps verifying
   * tokens for `overlapSeconds` (default PLAYER_TOKEN_MAX_TTL_SECONDS, so that tokens the game
   * backend signed just before switching live out their lifetime); 0 stops it at once (a leaked
   * secret). Only two secrets exist at a time: a secret still in an earlier overlap stops now.
   * Live player sockets whose token only the old secret verifies end when it stops.
   */
  async rotatePlayerTokenSecret(
    actor: StaffPrincipal,
    realmId: string,
    overlapSeconds: number = this.config.playerTokenMaxTtlSeconds,
  ): Promise<RotatedPlayerTokenSecret> {
    if (
      !Number.isInteger(overlapSeconds) ||
      overlapSeconds < 0 ||
      overlapSeconds > MAX_SECRET_OVERLAP_SECONDS
    ) {
      throw new CommonError(
        CommonErrorCode.ValidationFailed,
        `overlapSeconds must be a whole number from 0 to ${MAX_SECRET_OVERLAP_SECONDS}.`,
        [{ field: 'overlapSeconds', problem: `must be 0 to ${MAX_SECRET_OVERLAP_SECONDS}` }],
      );
    }
    const overlap = overlapSeconds;
    const playerTokenSecret = randomToken(32);
    return this.transactions.run(async (manager) => {
      const realm = await this.repository.lockRealm(realmId, realmScopeOf(actor), manager);
      if (!realm) {
        throw new RealmError(RealmErrorCode.RealmNotFound, { realmId });
      }
      const now = new Date();
      const previousSecretValidUntil =
        overlap > 0 ? new Date(now.getTime() + overlap * 1000) : null;
      const secrets = {
        playerTokenSecret,
        previousPlayerTokenSecret: previousSecretValidUntil ? realm.playerTokenSecret : null,
        previousPlayerTokenSecretValidUntil: previousSecretValidUntil,
        playerTokenSecretRotatedAt: now,
      };
      await this.repository.setPlayerTokenSecrets(realm.id, secrets, manager);
      // Gateways re-check the realm's live player sockets: a token that only the old secret
      // verifies now ends when that secret stops (at once when there is no overlap).
      await this.events.announceRevocation(manager, `realm:${realm.id}`);
      await this.audit.record(
        actor,
        {
          action: 'realm.rotate_player_token_secret',
          targetType: 'realm',
          targetId: realm.id,
          realmId: realm.id,
          before: {
            rotatedAt: realm.playerTokenSecretRotatedAt,
            previousSecretValidUntil: realm.previousPlayerTokenSecretValidUntil,
          },
          after: { rotatedAt: now, previousSecretValidUntil, overlapSeconds: overlap },
        },
        manager,
      );
      return {
        realm: { ...realm, ...secrets },
        playerTokenSecret,
        previousSecretValidUntil,
        rotatedAt: now,
      };
    });
  }

  async createGameServer(
    actor: StaffPrincipal,
    realmId: string,
    name: string,
  ): Promise<CreatedGameServer> {
    await this.requireRealmFor(actor, realmId);
    const keyId = randomBytes(8).toString('hex');
    const secret = randomToken(32);
    return this.transactions.run(async (manager) => {
      const server = await this.repository.insertGameServer(
        { realmId, name, keyId, keyHash: sha256(secret) },
        manager,
      );
      await this.audit.record(
        actor,
        {
          action: 'game_server.create',
          targetType: 'game_server',
          targetId: server.id,
          realmId,
          after: { name, keyId },
        },
        manager,
      );
      return { server, apiKey: `gmd_${keyId}_${secret}` };
    });
  }

  async listGameServers(viewer: StaffPrincipal, realmId: string): Promise<GameServerEntity[]> {
    await this.requireRealmFor(viewer, realmId);
    return this.repository.listGameServers(realmId);
  }

  revokeGameServer(actor: StaffPrincipal, serverId: string): Promise<GameServerEntity> {
    return this.transactions.run(async (manager) => {
      const server = await this.repository.lockGameServer(serverId, realmScopeOf(actor), manager);
      if (!server) {
        throw new RealmError(RealmErrorCode.GameServerNotFound, { serverId });
      }
      if (server.revokedAt) {
        return server;
      }
      const revokedAt = new Date();
      await this.repository.markGameServerRevoked(server.id, revokedAt, manager);
      await this.events.announceRevocation(manager, `server:${server.id}`);
      await this.audit.record(
        actor,
        {
          action: 'game_server.revoke',
          targetType: 'game_server',
          targetId: server.id,
          realmId: server.realmId,
          before: { revokedAt: null },
          after: { revokedAt },
        },
        manager,
      );
      return { ...server, revokedAt };
    });
  }

  /**
   * Game servers of a realm whose keys are not revoked: the ones that must enforce its sanctions.
   * Read in the caller's transaction, so the set matches what that transaction commits.
   */
  activeGameServerIds(realmId: string, manager: EntityManager): Promise<string[]> {
    return this.repository.activeGameServerIds(realmId, manager);
  }

  /** False once the key is revoked (or the server is gone): live sessions re-check this. */
  async isGameServerActive(serverId: string): Promise<boolean> {
    const server = await this.repository.findGameServer(serverId, { kind: 'all' });
    return server !== null && server.revokedAt === null;
  }

  /** Verifies `gmd_<keyId>_<secret>`; the secret is compared by hash in constant time. */
  async authenticateApiKey(apiKey: string): Promise<GameServerPrincipal> {
    const match = API_KEY_PATTERN.exec(apiKey);
    if (!match) {
      throw new UnauthenticatedError('unauthenticated', 'The API key is malformed.');
    }
    const [, keyId, secret] = match as unknown as [string, string, string];
    const server = await this.repository.findGameServerByKeyId(keyId);
    if (!server || !constantTimeEquals(server.keyHash, sha256(secret))) {
      throw new UnauthenticatedError('unauthenticated', 'The API key is not valid.');
    }
    if (server.revokedAt) {
      throw new UnauthenticatedError('key_revoked', 'This API key has been revoked.');
    }
    return { kind: 'game_server', serverId: server.id, realmId: server.realmId };
  }
}
