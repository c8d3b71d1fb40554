import { Module } from '@nestjs/common';

/**
 * The socket.io gateway (/game, /player, /staff). Its namespaces arrive with the realtime
 * gateway issue; the process boots and serves health so deployments can already include it.
 */
@Module({})
export class GatewayModule {}
