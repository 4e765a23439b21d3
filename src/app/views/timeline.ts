// Timeline: the newest 500 memories by when they happened, a day at a time.

import type { AppContext } from '../app-context.js';
import { empty, h, replace } from '../dom.js';
import type { View } from '../view.js';
import { recordItem } from './record-item.js';

const day = new Intl.DateTimeFormat('en', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });

export function timelineView(app: AppContext): View {
  const days = h('div', { id: 'timeline' });
  return {
    id: 'timeline',
    title: 'Timeline',
    element: h(
      'section',
      { id: 'view-timeline', 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title' }, 'Timeline'),
      days,
    ),
    async refresh() {
      const records = (await app.memory.list({ limit: 500 })).filter((r) => r.tier !== 'working');
      records.sort((a, b) => b.eventAt - a.eventAt);
      const groups = new Map<string, typeof records>();
      for (const record of records) {
        const key = day.format(record.eventAt);
        groups.set(key, [...(groups.get(key) ?? []), record]);
      }
      replace(
        days,
        ...(groups.size
          ? [...groups].map(([label, list]) =>
              h(
                'section',
                { class: 'day', 'aria-label': label },
                h('h3', {}, label),
                h('ol', { class: 'records' }, ...list.map((r) => recordItem(app, r))),
              ),
            )
          : [empty('Nothing on the timeline yet: memories appear here by the day they happened.')]),
      );
    },
  };
}
