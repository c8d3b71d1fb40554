// What apps/platform and the cross-app tests may use of the api (and nothing deeper).
export { ApiModule } from './api.module';
export { apiRole } from './api.role';
export { printFirstRun } from './http/first-run-banner';
