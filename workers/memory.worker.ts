// Dedicated-worker entry: serves the page that started it.

import { serveMemory } from '../src/host/serve-memory.js';
import { browserRegistry } from './compose-runtime.js';

serveMemory(browserRegistry);
