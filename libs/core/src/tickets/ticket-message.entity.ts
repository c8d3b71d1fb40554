import type { MessageVisibility } from '@gmdesk/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MessageAuthorType = 'player' | 'staff' | 'system';

@Entity('ticket_messages')
export class TicketMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  ticketId!: string;

  @Column({ type: 'text' })
  authorType!: MessageAuthorType;

  @Column({ type: 'uuid', nullable: true })
  authorPlayerId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  authorStaffId!: string | null;

  @Column({ type: 'text' })
  visibility!: MessageVisibility;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
