export { GatewayModule } from './gateway.module';
export { gatewayRole } from './gateway.role';
export { MAX_MESSAGE_BYTES } from './socket/gateway-io.adapter';
