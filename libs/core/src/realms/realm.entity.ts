import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('realms')
export class RealmEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** HS256 secret the game backend signs player tokens with; shown to the admin once. */
  @Column({ type: 'text' })
  playerTokenSecret!: string;

  /**
   * The secret the last rotation replaced: it keeps verifying player tokens until
   * `previousPlayerTokenSecretValidUntil`, so the game backend can switch without a gap.
   */
  @Column({ type: 'text', nullable: true })
  previousPlayerTokenSecret!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousPlayerTokenSecretValidUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  playerTokenSecretRotatedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
