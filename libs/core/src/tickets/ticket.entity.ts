import type { TicketKind, TicketPriority, TicketStatus } from '@gmdesk/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('tickets')
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  realmId!: string;

  @Column({ type: 'text' })
  kind!: TicketKind;

  @Column({ type: 'text' })
  status!: TicketStatus;

  @Column({ type: 'text' })
  priority!: TicketPriority;

  /** 0 = urgent … 3 = low, so the queue sorts ascending on one index. */
  @Column({ type: 'smallint' })
  priorityRank!: number;

  @Column({ type: 'boolean' })
  priorityOverridden!: boolean;

  /** Support category, or the report category group of a moderation case. */
  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'uuid', nullable: true })
  requesterPlayerId!: string | null;

  /** The reported player of a moderation case. */
  @Column({ type: 'uuid', nullable: true })
  subjectPlayerId!: string | null;

  @Column({ type: 'text', nullable: true })
  language!: string | null;

  @Column({ type: 'uuid', nullable: true })
  assigneeStaffId!: string | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'text', array: true })
  flags!: string[];

  @Column({ type: 'real' })
  score!: number;

  @Column({ type: 'integer' })
  reportCount!: number;

  @Column({ type: 'integer' })
  reporterCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  firstResponseDueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolutionDueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstRespondedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  solvedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
