import { whereInRealms } from '@gmdesk/db';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RealmScope } from '../common/realm-scope';
import { GameServerEntity } from './game-server.entity';
import { RealmEntity } from './realm.entity';

@Injectable()
export class RealmsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Returns null when a realm with this id exists already. A plain INSERT, never `save()`: with a
   * client-chosen primary key `save()` turns into an UPDATE of the existing realm (new name, new
   * player-token secret) instead of a conflict.
   */
  async insertRealm(
    realm: Pick<RealmEntity, 'id' | 'name' | 'playerTokenSecret'>,
    manager: EntityManager,
  ): Promise<RealmEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(RealmEntity)
      .values(realm)
      .orIgnore()
      .returning(['id'])
      .execute();
    if ((result.raw as unknown[]).length === 0) {
      return null;
    }
    return manager.findOneByOrFail(RealmEntity, { id: realm.id });
  }

  findRealm(id: string): Promise<RealmEntity | null> {
    return this.dataSource.manager.findOneBy(RealmEntity, { id });
  }

  listRealms(scope: RealmScope): Promise<RealmEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(RealmEntity, 'realm')
      .orderBy('realm.id', 'ASC');
    return whereInRealms(query, 'realm.id', scope).getMany();
  }

  insertGameServer(
    server: Pick<GameServerEntity, 'realmId' | 'name' | 'keyId' | 'keyHash'>,
    manager: EntityManager,
  ): Promise<GameServerEntity> {
    return manager.save(
      GameServerEntity,
      manager.create(GameServerEntity, { ...server, revokedAt: null }),
    );
  }

  findGameServerByKeyId(keyId: string): Promise<GameServerEntity | null> {
    return this.dataSource.manager.findOneBy(GameServerEntity, { keyId });
  }

  findGameServer(id: string, scope: RealmScope): Promise<GameServerEntity | null> {
    const query = this.dataSource.manager
      .createQueryBuilder(GameServerEntity, 'server')
      .where('server.id = :id', { id });
    return whereInRealms(query, 'server.realm_id', scope).getOne();
  }

  /** The game server, locked until the transaction ends (revocation). */
  lockGameServer(
    id: string,
    scope: RealmScope,
    manager: EntityManager,
  ): Promise<GameServerEntity | null> {
    const query = manager
      .createQueryBuilder(GameServerEntity, 'server')
      .setLock('pessimistic_write')
      .where('server.id = :id', { id });
    return whereInRealms(query, 'server.realm_id', scope).getOne();
  }

  listGameServers(realmId: string): Promise<GameServerEntity[]> {
    return this.dataSource.manager.find(GameServerEntity, {
      where: { realmId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Ids of the realm's servers whose keys are not revoked, read in the caller's transaction. */
  async activeGameServerIds(realmId: string, manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM game_servers WHERE realm_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
      [realmId],
    );
    return rows.map((row) => row.id);
  }

  async markGameServerRevoked(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(GameServerEntity, { id }, { revokedAt: at });
  }
}
