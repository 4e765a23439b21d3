// The first screen: what Mnemo is, that nothing leaves the device, and where to start.

import type { AppContext } from '../app-context.js';
import { h, replace } from '../dom.js';
import type { View } from '../view.js';
import { storageAlerts } from './storage-alerts.js';

export function homeView(app: AppContext, go: (viewId: string) => void): View {
  const counts = h('p', { id: 'home-counts' });
  const alerts = storageAlerts(app, () => view.refresh());
  const element = h(
    'section',
    { id: 'view-home', 'aria-labelledby': 'home-title' },
    h('h2', { id: 'home-title' }, 'A memory that stays on your device'),
    alerts.element,
    h(
      'p',
      {},
      'Mnemo remembers what you write and finds it again by meaning and by words. It keeps conversations, notes, ',
      'facts it learns from them, standing instructions and whole documents, in tiers like a person’s memory.',
    ),
    h(
      'p',
      { class: 'callout' },
      h('strong', {}, 'Nothing leaves this device. '),
      'Everything is stored in this browser (IndexedDB) and searched here, in a background worker. ',
      'The app works offline once loaded. It only talks to another server if you connect a language model or a ',
      'remote embedding model in Settings.',
    ),
    counts,
    h(
      'ul',
      { class: 'steps' },
      h('li', {}, h('strong', {}, 'Chat: '), 'write notes or conversation turns; each is remembered.'),
      h('li', {}, h('strong', {}, 'Search: '), 'ask in your own words and see why each memory was found.'),
      h('li', {}, h('strong', {}, 'Consolidate: '), 'turn conversations into facts and summaries.'),
      h('li', {}, h('strong', {}, 'Settings: '), 'pick an embedding model, back up, or forget.'),
    ),
    h('button', { type: 'button', class: 'primary', onclick: () => go('chat') }, 'Start writing'),
  );
  const view: View = {
    id: 'home',
    title: 'Home',
    element,
    async refresh() {
      const stats = await app.memory.stats();
      replace(
        counts,
        stats.records === 0
          ? 'Your memory is empty. Start by writing something in Chat.'
          : `Your memory holds ${stats.records} records: ${stats.byTier.episodic} turns and episodes, ${stats.byTier.semantic} facts, ${stats.byTier.archival} document chunks.`,
      );
      alerts.show(stats);
    },
  };
  return view;
}
