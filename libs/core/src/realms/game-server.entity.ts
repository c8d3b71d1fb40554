import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('game_servers')
export class GameServerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  realmId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Public half of the API key, used to find the row; the secret half is only stored hashed. */
  @Column({ type: 'text' })
  keyId!: string;

  @Column({ type: 'bytea' })
  keyHash!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
