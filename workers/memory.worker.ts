// Dedicated-worker entry: serves the page that started it.

import { serveMemory } from '../src/host/serve-memory.js';
import { browserRegistry } from './compose-runtime.js';

// A leading tab checks the open request of another tab on a connection of its own (a port it sends here).
// Registered before the host's wire guard, which drops every message that is not a facade call.
self.addEventListener('message', (event: MessageEvent<{ type?: unknown } | null>) => {
  const port = event.ports[0];
  if (event.data?.type === 'mnemo-connect' && port) serveMemory(browserRegistry, port);
});
serveMemory(browserRegistry);
