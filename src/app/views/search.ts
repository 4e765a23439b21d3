// Search: a query with filters (tiers, time range, tags, the "now" that relative time is read against); each hit
// shows its component scores and why it ranks there.

import { TIERS, type RecallHit, type RecallOptions, type Tier } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { empty, h, replace } from '../dom.js';
import type { View } from '../view.js';
import { components, why } from '../why.js';
import { forgetButton, recordMeta, TIER_NAMES } from './record-item.js';

const SEARCHABLE = TIERS.filter((t) => t !== 'working');

/** `datetime-local` value for an instant, in local time. */
function localInput(at: Date): string {
  const shifted = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function searchView(app: AppContext): View {
  const query = h('input', {
    id: 'search-query',
    type: 'search',
    required: true,
    placeholder: 'what does Ada drink? what did I say last week?',
  });
  const tierBoxes = SEARCHABLE.map((tier) =>
    h('input', { type: 'checkbox', id: `search-tier-${tier}`, value: tier, checked: true }),
  );
  const from = h('input', { id: 'search-from', type: 'date' });
  const to = h('input', { id: 'search-to', type: 'date' });
  const tags = h('input', { id: 'search-tags', placeholder: 'work, travel' });
  const reference = h('input', { id: 'search-reference', type: 'datetime-local' });
  const hits = h('ol', { id: 'hits', class: 'records', 'aria-live': 'polite' });
  const summary = h('p', { id: 'search-summary', class: 'meta' });

  const form = h(
    'form',
    { id: 'search-form', role: 'search', onsubmit: (event: Event) => void search(event) },
    h('label', { for: 'search-query' }, 'Ask your memory'),
    h('div', { class: 'row' }, query, h('button', { type: 'submit', class: 'primary' }, 'Search')),
    h(
      'details',
      { class: 'filters' },
      h('summary', {}, 'Filters'),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Tiers'),
        ...tierBoxes.map((box, i) => h('label', { class: 'inline', for: box.id }, box, ` ${TIER_NAMES[SEARCHABLE[i]!]}`)),
      ),
      h('div', { class: 'row' }, h('label', { for: 'search-from' }, 'From'), from, h('label', { for: 'search-to' }, 'To'), to),
      h('div', { class: 'row' }, h('label', { for: 'search-tags' }, 'Tags (all of)'), tags),
      h(
        'div',
        { class: 'row' },
        h('label', { for: 'search-reference' }, 'Read "last week", "yesterday" as seen from'),
        reference,
        h('span', { class: 'meta' }, '(empty: now)'),
      ),
    ),
  );

  function options(): RecallOptions {
    const tiers = tierBoxes.filter((b) => b.checked).map((b) => b.value as Tier);
    const tagList = tags.value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const range = {
      ...(from.value && { from: new Date(`${from.value}T00:00`).getTime() }),
      ...(to.value && { to: new Date(`${to.value}T00:00`).getTime() + 86_400_000 }),
    };
    return {
      k: 20,
      tiers: tiers.length ? tiers : SEARCHABLE,
      ...(tagList.length && { filter: { tags: tagList } }),
      ...(Object.keys(range).length && { timeRange: range }),
      ...(reference.value && { referenceTime: new Date(reference.value).getTime() }),
    };
  }

  function hitItem(hit: RecallHit, rank: number): HTMLLIElement {
    const table = h(
      'dl',
      { class: 'scores' },
      ...components(hit.scores).flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]),
    );
    return h(
      'li',
      { class: 'record hit' },
      h('p', {}, h('span', { class: 'rank' }, `${rank}.`), ' ', hit.record.text),
      recordMeta(hit.record),
      hit.document && h('div', { class: 'meta' }, `from document “${hit.document.title}”`),
      h('p', { class: 'why' }, h('strong', {}, `score ${hit.score.toFixed(3)}`), ' · why: ', why(hit.scores)),
      table,
      forgetButton(app, hit.record),
    );
  }

  async function search(event: Event): Promise<void> {
    event.preventDefault();
    const found = await app.attempt(() => app.memory.recall(query.value, options()));
    if (!found) return;
    app.lastHits = found;
    replace(
      summary,
      found.length ? `${found.length} found. Score = relevance × time × speaker × question × (importance and retention).` : '',
    );
    replace(
      hits,
      ...(found.length
        ? found.map((hit, i) => hitItem(hit, i + 1))
        : [h('li', {}, empty('Nothing matches: try other words, fewer filters, or write it down in Chat first.'))]),
    );
    app.say(found.length ? `${found.length} found; the Map view lights them up.` : 'No memory matches.');
  }

  reference.placeholder = localInput(new Date());
  return {
    id: 'search',
    title: 'Search',
    element: h(
      'section',
      { id: 'view-search', 'aria-labelledby': 'search-title' },
      h('h2', { id: 'search-title' }, 'Search'),
      form,
      summary,
      hits,
    ),
    async refresh() {
      if (!hits.hasChildNodes())
        replace(hits, h('li', {}, empty('Type a question above. Try relative time too: "what did I plan last week?"')));
    },
  };
}
