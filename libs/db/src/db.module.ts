import { Global, Module } from '@nestjs/common';
import { TransactionRunner } from './transaction';

/** Makes the TransactionRunner available everywhere; the DataSource comes from TypeOrmModule. */
@Global()
@Module({
  providers: [TransactionRunner],
  exports: [TransactionRunner],
})
export class DbModule {}
