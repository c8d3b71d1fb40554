import type {
  CreatedGameServer,
  CreatedRealm,
  GameServerEntity,
  RealmEntity,
  RotatedPlayerTokenSecret,
} from '@gmdesk/core';
import { MAX_SECRET_OVERLAP_SECONDS } from '@gmdesk/core';
import { NumberField, RealmIdField, TextField, UuidField } from '@gmdesk/dto';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt } from 'class-validator';

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

export class RotatePlayerTokenSecretDto {
  @IsInt()
  @NumberField({
    optional: true,
    min: 0,
    max: MAX_SECRET_OVERLAP_SECONDS,
    example: 86400,
    description:
      'How long the replaced secret keeps verifying tokens (seconds). Default ' +
      'PLAYER_TOKEN_MAX_TTL_SECONDS; 0 stops it at once (a leaked secret).',
  })
  overlapSeconds?: number;
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

export class RotatedPlayerTokenSecretResponseDto {
  @ApiProperty() realmId!: string;
  @ApiProperty({
    description: 'The new HS256 secret for player tokens. Shown once.',
  })
  playerTokenSecret!: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Until when the replaced secret still verifies tokens; null: it stopped at once',
  })
  previousSecretValidUntil!: string | null;
  @ApiProperty({ format: 'date-time' }) rotatedAt!: string;
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

export function toRotatedSecretResponse(
  rotated: RotatedPlayerTokenSecret,
): RotatedPlayerTokenSecretResponseDto {
  return {
    realmId: rotated.realm.id,
    playerTokenSecret: rotated.playerTokenSecret,
    previousSecretValidUntil: rotated.previousSecretValidUntil?.toISOString() ?? null,
    rotatedAt: rotated.rotatedAt.toISOString(),
  };
}
