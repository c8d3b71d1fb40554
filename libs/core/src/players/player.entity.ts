import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('players')
export class PlayerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  realmId!: string;

  /** The game's own account id; unique within the realm. */
  @Column({ type: 'text' })
  accountId!: string;

  @Column({ type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ type: 'text', nullable: true })
  language!: string | null;

  /** 0..1; weighs this player's reports. Follows the accuracy of their past reports. */
  @Column({ type: 'real' })
  reportCredibility!: number;

  @Column({ type: 'timestamptz', nullable: true })
  reportBannedUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  reportBanReason!: string | null;

  /** The game server the player is logged in on (from `player.session`), or null when offline. */
  @Column({ type: 'uuid', nullable: true })
  onlineServerId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  onlineSince!: Date | null;

  /**
   * When the game created the account, as its game server says (player upsert, `player.session`);
   * null until one does. Brigading's "new account" uses it, falling back to `createdAt`.
   */
  @Column({ type: 'timestamptz', nullable: true })
  accountCreatedAt!: Date | null;

  /** When the platform first saw the player ("first seen"). */
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
