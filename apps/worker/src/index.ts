export { WorkerModule } from './worker.module';
export { workerRole } from './worker.role';
