// Registers the Workbox service worker of the production build, which precaches the app for offline use.

import { Workbox } from 'workbox-window';
import type { AppContext } from './app-context.js';

export function registerServiceWorker(app: AppContext): void {
  // The dev server has no service worker: Vite serves modules that change as you edit.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('installed', (event) => {
    if (!event.isUpdate) app.say('Ready, and saved for offline use: the app now works without a network.');
  });
  workbox.addEventListener('waiting', () =>
    app.say('A new version is ready: it takes over when every tab of the app is closed.'),
  );
  workbox.register().catch((error: unknown) => app.say(`Offline use is not available: ${String(error)}`, true));
}
