// The offline app (#7): a Workbox service worker precaching the shell, the workers, ONNX Runtime's files and the
// model the app ships, and the install manifest. Registered by src/app/pwa.ts (workbox-window).

import { VitePWA } from 'vite-plugin-pwa';

export function offlineApp() {
  return VitePWA({
    injectRegister: false,
    registerType: 'prompt',
    manifest: {
      name: 'Mnemo: memory that stays on your device',
      short_name: 'Mnemo',
      description: 'A personal, searchable memory that lives in your browser and works offline. Nothing leaves the device.',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: '#f6f7fa',
      theme_color: '#23395b',
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      // The shell, both workers, ONNX Runtime's .mjs/.wasm and the committed model: all of it offline.
      globPatterns: ['**/*.{html,js,mjs,css,svg,png,webmanifest,wasm,json,txt,onnx}'],
      // Generated test models are not part of the app; source maps are for debugging only.
      globIgnores: ['models/mnemo-minilm-arch-v1/**', '**/*.map'],
      // ONNX Runtime's WASM is about 27 MB.
      maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      navigateFallback: 'index.html',
      navigateFallbackDenylist: [/^\/models\//, /^\/assets\//],
      cleanupOutdatedCaches: true,
      // The first visit is controlled at once, so it already works offline without a reload.
      clientsClaim: true,
    },
  });
}
