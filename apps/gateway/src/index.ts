export { GatewayModule } from './gateway.module';
export { configureGateway } from './socket/configure-gateway';
