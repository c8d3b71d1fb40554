import type { CategoryGroup, ReportCategory, ReportStatus } from '@gmdesk/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface ReportLocation {
  zone: string;
  instance?: string;
  x?: number;
  y?: number;
  z?: number;
}

@Entity('reports')
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  realmId!: string;

  @Column({ type: 'uuid' })
  reporterPlayerId!: string;

  @Column({ type: 'uuid' })
  reportedPlayerId!: string;

  @Column({ type: 'text' })
  category!: ReportCategory;

  @Column({ type: 'text' })
  categoryGroup!: CategoryGroup;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'jsonb', nullable: true })
  location!: ReportLocation | null;

  @Column({ type: 'text' })
  status!: ReportStatus;

  /** The moderation case this report is attached to. */
  @Column({ type: 'uuid' })
  ticketId!: string;

  @Column({ type: 'text' })
  source!: 'player' | 'game_server';

  @Column({ type: 'uuid', nullable: true })
  filedByServerId!: string | null;

  /** The reporter's credibility when filed: what the report adds to the case score. */
  @Column({ type: 'real' })
  reporterWeight!: number;

  /** How many times the reporter repeated this report while it was open. */
  @Column({ type: 'integer' })
  repeatCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastRepeatedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
