// Builds the offline app (default) or the library (`--mode lib`), serves pages for e2e tests, and runs unit tests.

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { readmeExample } from './scripts/vite-readme-example.js';
import { offlineApp } from './scripts/vite-pwa.js';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Cross-origin isolation lets ONNX Runtime use threads (SharedArrayBuffer); every asset here is same-origin.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ mode }) => ({
  resolve: {
    // Pages and examples import the package by its published name.
    alias: { mnemo: src('./src/index.ts') },
  },
  // The service worker belongs to the app build only: not the library, and not unit tests.
  plugins: [readmeExample(src('./README.md')), ...(mode === 'lib' || mode === 'test' ? [] : [offlineApp()])],
  // The e2e server runs while files change (other work in the same checkout): no live reload under a test.
  server: { headers: isolationHeaders, port: 5173, ...(process.env['MNEMO_NO_HMR'] && { hmr: false }) },
  preview: { headers: isolationHeaders, port: 4173 },
  optimizeDeps: { include: ['comlink', 'idb', 'stemmer'] },
  worker: {
    format: 'es' as const,
    // The library leaves the model runtime to the app's bundler, which emits ONNX Runtime's files as assets
    // (library mode would inline its 27 MB WASM into the worker as base64).
    ...(mode === 'lib' && { rollupOptions: { external: [/^@huggingface\/transformers/, /^onnxruntime-web/] } }),
  },
  build:
    mode === 'lib'
      ? {
          outDir: 'dist/lib',
          copyPublicDir: false,
          sourcemap: true,
          lib: {
            entry: { mnemo: src('./src/index.ts'), worker: src('./src/host/serve-memory.ts') },
            formats: ['es' as const],
          },
          rollupOptions: { external: ['comlink', 'idb', 'stemmer'] },
        }
      : { outDir: 'dist/app', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
}));
