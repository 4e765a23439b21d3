// Registers the Workbox service worker of the production build, which precaches the app for offline use.

import { Workbox } from 'workbox-window';
import type { AppContext } from './app-context.js';

export function registerServiceWorker(app: AppContext): void {
  // The dev server has no service worker: Vite serves modules that change as you edit.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // A line of its own: the precache finishes at any moment and must not overwrite what an action just reported.
  const offline = document.getElementById('offline-state');
  const note = (text: string) => {
    if (offline) offline.textContent = text;
  };
  const workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('installed', (event) => {
    if (!event.isUpdate) note('Saved for offline use: the app now works without a network.');
  });
  workbox.addEventListener('waiting', () => note('A new version is ready: it takes over when every tab of the app is closed.'));
  workbox.register().catch((error: unknown) => app.say(`Offline use is not available: ${String(error)}`, true));
}
