import type { SanctionType } from '@gmdesk/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('sanctions')
export class SanctionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  realmId!: string;

  @Column({ type: 'uuid' })
  playerId!: string;

  @Column({ type: 'text' })
  type!: SanctionType;

  /** The statement of reasons the player sees. */
  @Column({ type: 'text' })
  publicReason!: string;

  /** For staff only. */
  @Column({ type: 'text', nullable: true })
  privateReason!: string | null;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'uuid' })
  issuedBy!: string;

  @Column({ type: 'uuid', nullable: true })
  ticketId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  revokedBy!: string | null;

  /** Why staff lifted it (staff only; audited too). Null while active, and for old revocations. */
  @Column({ type: 'text', nullable: true })
  revokeReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
