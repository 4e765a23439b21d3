// End-to-end tests of the offline app (#7) against the production build: `vite build` then `vite preview` on
// port 4174, so the service worker, the precache and the manifest are the real ones.

import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/find-chromium.mjs';

const port = 4174;

export default defineConfig({
  testDir: 'e2e/app',
  // Not under test-results/: the main e2e run empties that folder when it starts, possibly while this one runs.
  outputDir: 'reports/app-e2e-output',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: [['list'], ['json', { outputFile: 'reports/app-e2e.json' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
    acceptDownloads: true,
  },
  webServer: {
    command: `npx vite build && npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    // Always a fresh build: a preview left running would serve stale files.
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
