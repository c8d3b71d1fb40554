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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
