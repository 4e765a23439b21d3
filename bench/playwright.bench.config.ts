// Benchmarks that need Chromium, run by hand (npm run bench:persistence), never in CI.

import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '**/*.bench.ts',
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  timeout: 900_000,
  // The server runs from the repository root, like the e2e tests' (this config lives in bench/).
  webServer: { ...(base.webServer as object), cwd: root } as typeof base.webServer,
});
