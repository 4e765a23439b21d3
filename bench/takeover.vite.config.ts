// A production build of the takeover benchmark's page (bundled workers, as an app ships them), to compare with the
// dev server: npx vite build --config bench/takeover.vite.config.ts && npx vite preview --config bench/takeover.vite.config.ts,
// then BENCH_BASE_URL=http://localhost:4176 for bench/tabs/takeover.bench.ts.

import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import base from '../vite.config.js';

export default defineConfig((env) =>
  // Mode 'test' leaves the app's service worker out.
  mergeConfig(base({ ...env, mode: 'test' }), {
    root: fileURLToPath(new URL('..', import.meta.url)),
    build: {
      outDir: 'dist/bench-tabs',
      rollupOptions: { input: fileURLToPath(new URL('./tabs/takeover.html', import.meta.url)) },
    },
    preview: { port: 4176 },
  }),
);
