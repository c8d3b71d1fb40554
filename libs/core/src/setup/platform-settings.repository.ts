import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlatformSettingEntity } from './platform-setting.entity';

@Injectable()
export class PlatformSettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(key: string): Promise<string | null> {
    const row = await this.dataSource.manager.findOneBy(PlatformSettingEntity, { key });
    return row?.value ?? null;
  }

  /**
   * Stores the value unless the key exists; returns true when this call stored it. Concurrent
   * callers (two processes booting at once) wait on the primary key and exactly one wins.
   */
  async insertIfAbsent(key: string, value: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'INSERT INTO platform_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key',
      [key, value],
    );
    return rows.length === 1;
  }
}
