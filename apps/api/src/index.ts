// What apps/platform and the cross-app tests may use of the api (and nothing deeper).
export { ApiModule } from './api.module';
export { configureHttpApp } from './http/configure-http-app';
export { printFirstRun } from './http/first-run-banner';
export { startHttpApp } from './http/start-http-app';
