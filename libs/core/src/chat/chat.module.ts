import { Module } from '@nestjs/common';
import { ChatPartitionsService } from './chat-partitions.service';
import { ChatPartitionsRepository, ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';

@Module({
  providers: [ChatRepository, ChatPartitionsRepository, ChatService, ChatPartitionsService],
  exports: [ChatService, ChatPartitionsService],
})
export class ChatModule {}
