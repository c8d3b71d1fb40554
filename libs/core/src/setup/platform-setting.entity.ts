import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('platform_settings')
export class PlatformSettingEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
