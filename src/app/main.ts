// The Mnemo app: opens the memory, builds the views and the navigation between them, registers the service worker.

import { isMnemoError } from 'mnemo';
import { AppContext } from './app-context.js';
import { describeError, h } from './dom.js';
import { registerServiceWorker } from './pwa.js';
import type { View } from './view.js';
import { chatView } from './views/chat.js';
import { consolidateView } from './views/consolidate.js';
import { homeView } from './views/home.js';
import { mapView } from './views/map.js';
import { searchView } from './views/search.js';
import { settingsView } from './views/settings.js';
import { tiersView } from './views/tiers.js';
import { timelineView } from './views/timeline.js';
import { unlock } from './views/unlock.js';

const status = document.getElementById('status')!;
const nav = document.getElementById('nav')!;
const views = document.getElementById('views')!;
const app = new AppContext(status);

const all: View[] = [
  homeView(app, (id) => show(id)),
  chatView(app),
  tiersView(app),
  searchView(app),
  timelineView(app),
  mapView(app),
  consolidateView(app),
  settingsView(app),
];
let visible: View = all[0]!;

const tabs = all.map((view) =>
  h(
    'button',
    { type: 'button', id: `tab-${view.id}`, 'aria-controls': `view-${view.id}`, onclick: () => show(view.id) },
    view.title,
  ),
);
nav.append(...tabs);
for (const view of all) {
  view.element.hidden = true;
  views.append(view.element);
}

async function refresh(view: View): Promise<void> {
  try {
    await view.refresh();
  } catch (error) {
    app.say(describeError(error), true);
  }
}

function show(id: string, focus = true): void {
  visible = all.find((v) => v.id === id) ?? all[0]!;
  for (const view of all) view.element.hidden = view !== visible;
  tabs.forEach((tab, i) => (all[i] === visible ? tab.setAttribute('aria-current', 'page') : tab.removeAttribute('aria-current')));
  if (location.hash !== `#${visible.id}`) history.replaceState(null, '', `#${visible.id}`);
  if (focus) visible.element.querySelector('h2')?.focus();
  void refresh(visible);
}

// Only view ids route; other anchors (the skip link) keep their usual meaning.
window.addEventListener('hashchange', () => {
  const id = location.hash.slice(1);
  if (all.some((v) => v.id === id)) show(id);
});
app.onChange(() => void refresh(visible));

try {
  app.say('Opening your memory…');
  await app.open();
} catch (error) {
  if (!isMnemoError(error) || error.code !== 'LOCKED') {
    app.say(`Mnemo could not start: ${describeError(error)}`, true);
    throw error;
  }
  nav.hidden = true;
  await unlock(app, views);
  nav.hidden = false;
}
app.say('Ready. Your memories are stored in this browser only.');
for (const view of all) view.element.querySelector('h2')?.setAttribute('tabindex', '-1');
show(location.hash.slice(1) || 'home', false);
document.body.dataset['ready'] = 'true';
registerServiceWorker(app);
