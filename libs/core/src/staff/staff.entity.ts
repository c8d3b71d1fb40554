import type { StaffRole } from '@gmdesk/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('staff')
export class StaffEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  username!: string;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  role!: StaffRole;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text', array: true })
  realms!: string[];

  @Column({ type: 'text', array: true })
  languages!: string[];

  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  /**
   * Copied into each staff token as `gen`; a token whose `gen` differs is refused. Bumped by a
   * password change, by disabling or re-enabling, and by "log out everywhere".
   */
  @Column({ type: 'integer', default: 0 })
  sessionGeneration!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
