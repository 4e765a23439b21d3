// Serves memories over any message endpoint (a worker's scope, a MessagePort, a SharedWorker port).

import { expose, type Endpoint } from 'comlink';
import { createMemoryFacade } from './memory-facade.js';
import { RuntimeRegistry, type OpenRuntime } from './runtime-registry.js';

export { RuntimeRegistry, type OpenRuntime } from './runtime-registry.js';

/**
 * Exposes a fresh facade on `endpoint` (default: this worker's own scope). Pass the same registry for every
 * connection of one host, so connections to one namespace share one runtime.
 */
export function serveMemory(registry: RuntimeRegistry, endpoint?: Endpoint): void {
  // Worker scopes and MessagePorts carry no origin to check: only code that could reach the port talks here.
  expose(createMemoryFacade(registry), endpoint);
}

export function createRegistry(openRuntime: OpenRuntime): RuntimeRegistry {
  return new RuntimeRegistry(openRuntime);
}
