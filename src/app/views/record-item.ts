// One memory as a list item: its text, tier, time, speaker and session, with a Forget button.

import type { MemoryRecord } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { h, timeEl } from '../dom.js';

export const TIER_NAMES: Record<MemoryRecord['tier'], string> = {
  working: 'working block',
  shortTerm: 'short-term',
  episodic: 'episodic',
  semantic: 'fact',
  procedural: 'instruction',
  archival: 'document',
};

export function recordMeta(record: MemoryRecord): HTMLElement {
  return h(
    'div',
    { class: 'meta' },
    h('span', { class: `badge tier-${record.tier}` }, TIER_NAMES[record.tier]),
    ' ',
    timeEl(record.eventAt),
    record.speaker && ` · ${record.speaker}`,
    record.sessionId && ` · ${record.sessionId}`,
    record.tags.length > 0 && ` · #${record.tags.join(' #')}`,
  );
}

export function forgetButton(app: AppContext, record: MemoryRecord): HTMLButtonElement {
  const label = record.text.length > 40 ? `${record.text.slice(0, 40)}…` : record.text;
  return h(
    'button',
    {
      type: 'button',
      class: 'small',
      'aria-label': `Forget "${label}"`,
      onclick: () =>
        void app.attempt(async () => {
          await app.memory.forget(record.id);
          app.changed();
        }, 'Forgotten: the record, its vector and its index entries are gone.'),
    },
    'Forget',
  );
}

export function recordItem(app: AppContext, record: MemoryRecord, ...extra: (Node | string)[]): HTMLLIElement {
  return h('li', { class: 'record' }, h('p', {}, record.text), recordMeta(record), ...extra, forgetButton(app, record));
}

/** A string or number field of a record's `meta`, as text; anything else is absent. */
export function metaText(record: MemoryRecord, key: string): string | undefined {
  const value = record.meta[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
