import type { ServingRole } from '@gmdesk/core';
import { ApiModule } from './api.module';
import { configureHttpApp } from './http/configure-http-app';

/** REST on the process's HTTP server; the api owns the schema, so its processes migrate at boot. */
export const apiRole: ServingRole = {
  name: 'api',
  module: ApiModule,
  serves: true,
  ownsSchema: true,
  configure: configureHttpApp,
};
