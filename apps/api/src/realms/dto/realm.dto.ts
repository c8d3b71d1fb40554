import type { CreatedGameServer, CreatedRealm, GameServerEntity, RealmEntity } from '@gmdesk/core';
import { RealmIdField, TextField, UuidField } from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';

export class CreateRealmDto {
  @RealmIdField()
  id!: string;

  @TextField({ max: 100, example: 'EU West 1' })
  name!: string;
}

export class RealmParams {
  @RealmIdField()
  realmId!: string;
}

export class CreateGameServerDto {
  @TextField({ max: 100, example: 'eu-west-1-shard-a' })
  name!: string;
}

export class GameServerParams {
  @UuidField()
  id!: string;
}

export class RealmResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedRealmResponseDto extends RealmResponseDto {
  @ApiProperty({
    description: 'HS256 secret the game backend signs player tokens with. Shown once.',
  })
  playerTokenSecret!: string;
}

export class GameServerResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() realmId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Public key id (the part after gmd_)' }) keyId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedGameServerResponseDto extends GameServerResponseDto {
  @ApiProperty({
    description: 'Send as "Authorization: ApiKey <apiKey>". Shown once; only a hash is stored.',
  })
  apiKey!: string;
}

export function toRealmResponse(realm: RealmEntity): RealmResponseDto {
  return { id: realm.id, name: realm.name, createdAt: realm.createdAt.toISOString() };
}

export function toCreatedRealmResponse(created: CreatedRealm): CreatedRealmResponseDto {
  return { ...toRealmResponse(created.realm), playerTokenSecret: created.playerTokenSecret };
}

export function toGameServerResponse(server: GameServerEntity): GameServerResponseDto {
  return {
    id: server.id,
    realmId: server.realmId,
    name: server.name,
    keyId: server.keyId,
    createdAt: server.createdAt.toISOString(),
    revokedAt: server.revokedAt?.toISOString() ?? null,
  };
}

export function toCreatedGameServerResponse(
  created: CreatedGameServer,
): CreatedGameServerResponseDto {
  return { ...toGameServerResponse(created.server), apiKey: created.apiKey };
}
