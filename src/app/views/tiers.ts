// Memory tiers: working blocks (editable), recent turns, episodes and their summaries, facts with provenance and
// validity, instructions, and archived documents (drop or pick a .txt/.md file).

import type { MemoryRecord, WorkingBlock } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { dateTime, empty, h, replace } from '../dom.js';
import type { View } from '../view.js';
import { archivePanel } from './archive-panel.js';
import { forgetButton, metaText, recordItem, recordMeta } from './record-item.js';

function panel(id: string, title: string, hint: string, ...body: Node[]): HTMLElement {
  return h(
    'section',
    { class: 'panel', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    h('p', { class: 'hint' }, hint),
    ...body,
  );
}

export function tiersView(app: AppContext): View {
  const blocks = h('div', { id: 'working-blocks' });
  const blockLabel = h('input', {
    id: 'block-label',
    required: true,
    placeholder: 'user_profile',
    pattern: '[A-Za-z0-9_.:\\-]+',
  });
  const blockValue = h('textarea', {
    id: 'block-value',
    rows: 2,
    placeholder: 'Ada, a chemist in Leeds; prefers short answers.',
  });
  const addBlock = h(
    'form',
    {
      class: 'stack',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void app.attempt(async () => {
          await app.memory.working.set(blockLabel.value.trim(), { value: blockValue.value });
          blockLabel.value = '';
          blockValue.value = '';
          app.changed();
        }, 'Block saved.');
      },
    },
    h('label', { for: 'block-label' }, 'New block label'),
    blockLabel,
    h('label', { for: 'block-value' }, 'Its text'),
    blockValue,
    h('button', { type: 'submit' }, 'Add block'),
  );

  const recent = h('ol', { id: 'recent-turns', class: 'records' });
  const episodes = h('ol', { id: 'episodes', class: 'records' });
  const facts = h('ol', { id: 'facts', class: 'records' });
  const factText = h('input', { id: 'fact-text', required: true, placeholder: 'Ada lives in Leeds' });
  const factKey = h('input', { id: 'fact-key', placeholder: 'Ada|lives in' });
  const addFact = h(
    'form',
    {
      class: 'row',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const key = factKey.value.trim();
        void app.attempt(async () => {
          const result = await app.memory.facts.add({ text: factText.value, ...(key && { key }), source: { kind: 'user' } });
          factText.value = '';
          factKey.value = '';
          app.changed();
          app.say(`Fact ${result.outcome}.`);
        });
      },
    },
    h('label', { for: 'fact-text' }, 'Fact'),
    factText,
    h('label', { for: 'fact-key' }, 'Key (optional: a later fact with the same key replaces it)'),
    factKey,
    h('button', { type: 'submit' }, 'Add fact'),
  );
  const instructions = h('ol', { id: 'instructions', class: 'records' });
  const instructionText = h('input', { id: 'instruction-text', required: true, placeholder: 'Answer in French' });
  const addInstruction = h(
    'form',
    {
      class: 'row',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void app.attempt(async () => {
          await app.memory.instructions.add(instructionText.value);
          instructionText.value = '';
          app.changed();
        }, 'Instruction added: it goes into every context.');
      },
    },
    h('label', { for: 'instruction-text' }, 'Instruction'),
    instructionText,
    h('button', { type: 'submit' }, 'Add instruction'),
  );
  const archive = archivePanel(app);

  const element = h(
    'section',
    { id: 'view-tiers', 'aria-labelledby': 'tiers-title' },
    h('h2', { id: 'tiers-title' }, 'Memory tiers'),
    panel(
      'tier-working',
      'Working blocks',
      'Always placed whole in every context: who the user is, the task at hand. Edit and save.',
      blocks,
      addBlock,
    ),
    panel(
      'tier-recent',
      'Recent turns',
      'Short-term memory: the newest turns of the current conversation that fit 1000 tokens.',
      recent,
    ),
    panel('tier-episodes', 'Episodes', 'Everything said, with a summary per conversation once consolidated.', episodes),
    panel(
      'tier-facts',
      'Facts',
      'Semantic memory: what was learnt, from which records, and since when. Invalidated facts stay, struck through.',
      facts,
      addFact,
    ),
    panel(
      'tier-instructions',
      'Instructions',
      'Procedural memory: standing instructions, placed in every context.',
      instructions,
      addInstruction,
    ),
    archive.element,
  );

  function blockEditor(block: WorkingBlock): HTMLElement {
    const id = `block-${block.label.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const value = h('textarea', { id, rows: 3, maxlength: block.limit }, block.value);
    return h(
      'form',
      {
        class: 'block stack',
        onsubmit: (event: Event) => {
          event.preventDefault();
          // The person using the app owns every block, read-only ones included.
          void app.attempt(async () => {
            await app.memory.working.set(
              block.label,
              { value: value.value, limit: block.limit, readOnly: block.readOnly },
              { force: true },
            );
            app.changed();
          }, `Block "${block.label}" saved.`);
        },
      },
      h(
        'label',
        { for: id },
        block.label,
        block.readOnly ? ' (read-only for tools)' : '',
        h('span', { class: 'meta' }, ` · up to ${block.limit} characters`),
      ),
      value,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, `Save ${block.label}`),
        h(
          'button',
          {
            type: 'button',
            class: 'small',
            onclick: () =>
              void app.attempt(async () => {
                await app.memory.working.delete(block.label, { force: true });
                app.changed();
              }, `Block "${block.label}" deleted.`),
          },
          `Delete ${block.label}`,
        ),
      ),
    );
  }

  async function factItem(fact: MemoryRecord): Promise<HTMLLIElement> {
    const sources = (await Promise.all(fact.sourceIds.slice(0, 5).map((id) => app.memory.get(id)))).filter(
      (r) => r !== undefined,
    );
    const invalid = fact.invalidAt !== undefined;
    const validity = invalid
      ? `invalidated ${dateTime(fact.invalidAt!)} (valid from ${dateTime(fact.validFrom ?? fact.eventAt)})`
      : `valid since ${dateTime(fact.validFrom ?? fact.eventAt)}`;
    const provenance = sources.length
      ? h(
          'details',
          {},
          h('summary', {}, `Learnt from ${fact.sourceIds.length} record(s)`),
          h('ul', {}, ...sources.map((s) => h('li', {}, `“${s.text}”`))),
        )
      : h('div', { class: 'meta' }, `added by ${fact.source.kind}${fact.source.name ? ` (${fact.source.name})` : ''}`);
    const invalidate = invalid
      ? undefined
      : h(
          'button',
          {
            type: 'button',
            class: 'small',
            onclick: () =>
              void app.attempt(async () => {
                await app.memory.facts.invalidate(fact.id);
                app.changed();
              }, 'Fact invalidated: kept for history, no longer current.'),
          },
          'Invalidate',
        );
    const item = h(
      'li',
      { class: `record fact${invalid ? ' invalid' : ''}` },
      h(invalid ? 's' : 'p', {}, fact.text),
      recordMeta(fact),
      h('div', { class: 'meta validity' }, invalid ? h('strong', {}, 'Invalidated. ') : '', validity),
      provenance,
    );
    if (invalidate) item.append(invalidate);
    item.append(forgetButton(app, fact));
    return item;
  }

  return {
    id: 'tiers',
    title: 'Memory',
    element,
    async refresh() {
      const m = app.memory;
      const [blockList, recentList, episodeList, factList, instructionList] = await Promise.all([
        m.working.list(),
        m.recent(app.settings.sessionId, { budgetTokens: 1000 }),
        m.list({ tier: 'episodic', limit: 200 }),
        m.facts.list({ includeInvalid: true, limit: 200 }),
        m.instructions.list(),
      ]);
      replace(
        blocks,
        ...(blockList.length
          ? blockList.map(blockEditor)
          : [empty('No working blocks yet: add one below (a persona, a profile of the user, the task at hand).')]),
      );
      replace(
        recent,
        ...(recentList.length
          ? recentList.map((r) => recordItem(app, r))
          : [h('li', {}, empty(`No turns in "${app.settings.sessionId}" yet: write in Chat.`))]),
      );
      const summaries = episodeList.filter((r) => r.meta['summaryOf'] !== undefined);
      const said = episodeList.filter((r) => r.meta['summaryOf'] === undefined);
      replace(
        episodes,
        ...summaries.map((r) =>
          recordItem(
            app,
            r,
            h(
              'div',
              { class: 'meta' },
              h('strong', {}, 'Summary'),
              ` of ${metaText(r, 'summaryOf') ?? 'a conversation'}, ${metaText(r, 'turns') ?? '?'} turns`,
            ),
          ),
        ),
        ...said.map((r) => recordItem(app, r)),
        ...(episodeList.length ? [] : [h('li', {}, empty('No episodes yet: write in Chat, then Consolidate to get summaries.'))]),
      );
      replace(
        facts,
        ...(factList.length
          ? await Promise.all(factList.map(factItem))
          : [h('li', {}, empty('No facts yet: add one below, or run Consolidate to extract them from your conversations.'))]),
      );
      replace(
        instructions,
        ...(instructionList.length
          ? instructionList.map((r) => recordItem(app, r))
          : [h('li', {}, empty('No instructions yet: add one below ("answer in French").'))]),
      );
      await archive.refresh();
    },
  };
}
