// Consolidate: run the sleep-time pass with progress, and show what it extracted, merged and invalidated.

import type { ConsolidationReport, MemoryRecord } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { empty, h, replace, timeEl } from '../dom.js';
import { llmFunction } from '../llm.js';
import type { View } from '../view.js';

export function consolidateView(app: AppContext): View {
  const pending = h('p', { id: 'consolidate-pending' });
  const progress = h('progress', { id: 'consolidate-progress', max: 1, value: 0, 'aria-label': 'Consolidation progress' });
  const useLlm = h('input', { type: 'checkbox', id: 'consolidate-llm' });
  const llmRow = h(
    'label',
    { class: 'inline', for: 'consolidate-llm' },
    useLlm,
    ' Use the connected LLM for facts and summaries',
  );
  const run = h(
    'button',
    { type: 'button', class: 'primary', id: 'consolidate-run', onclick: () => void consolidate() },
    'Consolidate now',
  );
  const result = h('div', { id: 'consolidate-result', 'aria-live': 'polite' });

  function factList(title: string, facts: MemoryRecord[], id: string): HTMLElement | undefined {
    if (!facts.length) return undefined;
    return h(
      'section',
      { id },
      h('h3', {}, `${title} (${facts.length})`),
      h('ul', {}, ...facts.map((f) => h('li', {}, f.invalidAt ? h('s', {}, f.text) : f.text))),
    );
  }

  function describe(report: ConsolidationReport): HTMLElement {
    return h(
      'dl',
      { class: 'report' },
      ...(
        [
          ['turns examined', report.processed],
          ['facts extracted', report.factsAdded],
          ['facts merged into existing ones', report.factsMerged],
          ['facts invalidated (contradicted)', report.factsInvalidated],
          ['conversations summarised', report.episodesSummarised],
          ['records pruned', report.pruned],
          ['answers refused as malformed', report.rejected.length],
        ] as const
      ).flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, String(value))]),
    );
  }

  async function consolidate(): Promise<void> {
    const started = Date.now();
    const before = await app.memory.facts.list({ includeInvalid: true, limit: 1000 });
    const total = Math.max(1, (await app.memory.stats()).consolidation.pending);
    progress.max = total;
    progress.value = 0;
    run.disabled = true;
    replace(result, h('p', {}, 'Consolidating…'));
    const llm = app.settings.llm && useLlm.checked ? llmFunction(app.settings.llm) : undefined;
    const report = await app.attempt(() =>
      app.memory.consolidate({
        ...(llm && { llm }),
        onProgress: (so) => {
          progress.value = Math.min(total, so.processed);
          replace(result, h('p', {}, `Consolidating… ${so.processed} of ${total} turns`));
        },
      }),
    );
    run.disabled = false;
    if (!report) return;
    progress.value = total;
    const after = await app.memory.facts.list({ includeInvalid: true, limit: 1000 });
    const known = new Map(before.map((f) => [f.id, f]));
    const added = after.filter((f) => !known.has(f.id));
    const invalidated = after.filter(
      (f) => f.invalidAt !== undefined && known.get(f.id)?.invalidAt === undefined && known.has(f.id),
    );
    const merged = after.filter((f) => known.has(f.id) && f.invalidAt === undefined && f.updatedAt >= started);
    replace(
      result,
      h(
        'p',
        {},
        report.processed ? 'Done.' : 'Nothing new to consolidate: write in Chat first.',
        report.more ? ' More is waiting: run it again.' : '',
      ),
      describe(report),
      factList('Extracted', added, 'consolidate-added'),
      factList('Merged (strengthened)', merged, 'consolidate-merged'),
      factList('Invalidated', invalidated, 'consolidate-invalidated'),
    );
    app.say(
      `Consolidated: ${report.factsAdded} facts extracted, ${report.factsMerged} merged, ${report.factsInvalidated} invalidated.`,
    );
    app.changed();
  }

  return {
    id: 'consolidate',
    title: 'Consolidate',
    element: h(
      'section',
      { id: 'view-consolidate', 'aria-labelledby': 'consolidate-title' },
      h('h2', { id: 'consolidate-title' }, 'Consolidate'),
      h(
        'p',
        { class: 'hint' },
        'Like sleep for a memory: new turns are read, facts extracted (by rules, or by your LLM), each conversation summarised, ',
        'and facts that a newer one contradicts are invalidated. It also runs by itself after 30 seconds idle.',
      ),
      pending,
      h('div', { class: 'row' }, run, llmRow),
      progress,
      result,
    ),
    async refresh() {
      const stats = await app.memory.stats();
      const last = stats.consolidation.last;
      replace(
        pending,
        stats.consolidation.pending
          ? `${stats.consolidation.pending} turn(s) wait for consolidation.`
          : 'Nothing waits for consolidation.',
        last ? h('span', { class: 'meta' }, ' Last pass: ', timeEl(last.at), '.') : '',
      );
      llmRow.hidden = !app.settings.llm;
      if (!result.hasChildNodes())
        replace(result, stats.records ? '' : empty('Nothing to consolidate yet: write a conversation in Chat.'));
    },
  };
}
