import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** What the bench reads from the gateway's StreamDispatcher (not exported by @gmdesk/gateway). */
export interface DispatcherProbe {
  localSocketCount(): number;
}

/**
 * Finds a provider instance by class name. The gateway's StreamDispatcher is internal to
 * GatewayModule and apps may not be imported by path, so the bench looks it up in Nest's module
 * container to count the sockets the gateway has registered for delivery (a sanity check on the
 * latency run; the "held" count of the memory figure).
 */
export function findProvider<T>(app: INestApplication, className: string): T | undefined {
  const modules = app.get(ModulesContainer, { strict: false });
  for (const module of modules.values()) {
    for (const wrapper of module.providers.values()) {
      if (wrapper.name === className && wrapper.instance) {
        return wrapper.instance as T;
      }
    }
  }
  return undefined;
}

export function findDispatcher(app: INestApplication): DispatcherProbe | undefined {
  const found = findProvider<Partial<DispatcherProbe>>(app, 'StreamDispatcher');
  return typeof found?.localSocketCount === 'function' ? (found as DispatcherProbe) : undefined;
}
