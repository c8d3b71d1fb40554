import type { ServingRole } from '@gmdesk/core';
import { GatewayModule } from './gateway.module';
import { configureGateway } from './socket/configure-gateway';

/** socket.io on the process's HTTP server, with the gateway's own server options and adapter. */
export const gatewayRole: ServingRole = {
  name: 'gateway',
  module: GatewayModule,
  serves: true,
  configure: configureGateway,
};
