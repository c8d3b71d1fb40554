import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One staff (or system) action. Append-only: a database trigger refuses UPDATE and DELETE. */
@Entity('audit_entries')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  actorType!: string;

  @Column({ type: 'text' })
  actorId!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  targetType!: string;

  @Column({ type: 'text' })
  targetId!: string;

  @Column({ type: 'text', nullable: true })
  realmId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: object | null;

  @Column({ type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
