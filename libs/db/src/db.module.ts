import { Global, Module } from '@nestjs/common';
import { SqlRunner } from './sql';
import { TransactionRunner } from './transaction';

/** Makes the TransactionRunner available everywhere; the DataSource comes from TypeOrmModule. */
@Global()
@Module({
  providers: [TransactionRunner, SqlRunner],
  exports: [TransactionRunner, SqlRunner],
})
export class DbModule {}
