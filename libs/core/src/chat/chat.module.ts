import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ChatPartitionsService } from './chat-partitions.service';
import { ChatSearchRepository } from './chat-search.repository';
import { ChatSearchService } from './chat-search.service';
import { ChatPartitionsRepository, ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';

@Module({
  imports: [AuditModule],
  providers: [
    ChatRepository,
    ChatPartitionsRepository,
    ChatSearchRepository,
    ChatService,
    ChatPartitionsService,
    ChatSearchService,
  ],
  exports: [ChatService, ChatPartitionsService, ChatSearchService],
})
export class ChatModule {}
