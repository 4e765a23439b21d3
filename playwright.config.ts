// End-to-end tests in real Chromium against the Vite dev server: real workers, real IndexedDB.

import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/find-chromium.mjs';

const port = 5174;

export default defineConfig({
  testDir: 'e2e',
  // The app's specs run against the production build: playwright.app.config.ts.
  testIgnore: ['app/**'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `MNEMO_NO_HMR=1 npx vite --port ${port} --strictPort`,
    url: `http://localhost:${port}/e2e/pages/harness.html`,
    reuseExistingServer: !process.env['CI'],
    timeout: 120_000,
  },
});
