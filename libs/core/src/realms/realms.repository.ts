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

  findRealm(id: string, manager?: EntityManager): Promise<RealmEntity | null> {
    return (manager ?? this.dataSource.manager).findOneBy(RealmEntity, { id });
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

  findGameServer(
    id: string,
    scope: RealmScope,
    manager?: EntityManager,
  ): Promise<GameServerEntity | null> {
    const query = (manager ?? this.dataSource.manager)
      .createQueryBuilder(GameServerEntity, 'server')
      .where('server.id = :id', { id });
    return whereInRealms(query, 'server.realm_id', scope).getOne();
  }

  listGameServers(realmId: string): Promise<GameServerEntity[]> {
    return this.dataSource.manager.find(GameServerEntity, {
      where: { realmId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async markGameServerRevoked(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(GameServerEntity, { id }, { revokedAt: at });
  }
}
