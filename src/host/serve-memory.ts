// Serves memories over any message endpoint (a worker's scope, a MessagePort, a SharedWorker port).

import { expose, type Endpoint } from 'comlink';
import { createMemoryFacade } from './memory-facade.js';
import { guardEndpoint } from './wire-guard.js';
import { RuntimeRegistry, type OpenRuntime, type PrepareModel } from './runtime-registry.js';

export { RuntimeRegistry, type OpenRuntime, type PrepareModel } from './runtime-registry.js';

/**
 * Exposes a fresh facade on `endpoint` (default: this worker's own scope). Pass the same registry for every
 * connection of one host, so connections to one namespace share one runtime.
 */
export function serveMemory(registry: RuntimeRegistry, endpoint: Endpoint = globalThis as unknown as Endpoint): void {
  const facade = createMemoryFacade(registry);
  const ownOrigin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const origins = ownOrigin ? [ownOrigin] : [];
  // The guard listens first, so Comlink only ever sees calls of the facade's own methods.
  guardEndpoint(endpoint, new Set(Object.keys(facade)), origins);
  expose(facade, endpoint, ['', ...origins]);
}

/** `prepareModel`, where given, serves `HostFacade.prepare`: a model loaded before the open that will use it. */
export function createRegistry(openRuntime: OpenRuntime, prepareModel?: PrepareModel): RuntimeRegistry {
  return new RuntimeRegistry(openRuntime, prepareModel);
}
