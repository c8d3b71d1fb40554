import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReportsModule } from '../reports/reports.module';
import { ChatPartitionsService } from './chat-partitions.service';
import { ChatSearchRepository } from './chat-search.repository';
import { ChatSearchService } from './chat-search.service';
import { ChatPartitionsRepository, ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';

@Module({
  imports: [AuditModule, ReportsModule],
  providers: [
    ChatRepository,
    ChatPartitionsRepository,
    ChatSearchRepository,
    ChatService,
    ChatPartitionsService,
    ChatSearchService,
    EvidenceRepository,
    EvidenceService,
  ],
  exports: [ChatService, ChatPartitionsService, ChatSearchService, EvidenceService],
})
export class ChatModule {}
