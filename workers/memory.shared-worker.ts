// SharedWorker entry: one host for every tab of the origin; each tab connects through its port.

import { serveMemory } from '../src/host/serve-memory.js';
import { browserRegistry } from './compose-runtime.js';

const scope = self as unknown as { addEventListener(type: 'connect', listener: (event: MessageEvent) => void): void };
scope.addEventListener('connect', (event) => {
  for (const port of event.ports) serveMemory(browserRegistry, port);
});
