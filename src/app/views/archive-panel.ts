// Archived documents: drop or pick a .txt/.md file to archive it (chunked and embedded); forget a whole document.

import type { MemoryRecord } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { empty, h, replace, timeEl } from '../dom.js';
import { metaText } from './record-item.js';

const ACCEPTED = /\.(txt|md|markdown)$/i;

export function archivePanel(app: AppContext): { element: HTMLElement; refresh(): Promise<void> } {
  const documents = h('ol', { id: 'documents', class: 'records' });
  const picker = h('input', {
    type: 'file',
    id: 'archive-file',
    accept: '.txt,.md,.markdown,text/plain,text/markdown',
    multiple: true,
  });
  picker.addEventListener('change', () => void archiveFiles([...(picker.files ?? [])]).then(() => (picker.value = '')));
  const drop = h(
    'div',
    { class: 'drop', id: 'archive-drop' },
    h('label', { for: 'archive-file' }, 'Drop a .txt or .md file here, or choose one: '),
    picker,
  );
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    void archiveFiles([...(event.dataTransfer?.files ?? [])]);
  });

  async function archiveFiles(files: File[]): Promise<void> {
    for (const file of files) {
      if (!ACCEPTED.test(file.name)) {
        app.say(`${file.name}: only .txt and .md files can be archived.`, true);
        continue;
      }
      const text = await file.text();
      const result = await app.attempt(() => app.memory.archive.add({ text, title: file.name, source: `file:${file.name}` }));
      if (result) app.say(`Archived ${file.name} in ${result.chunkIds.length} chunk(s).`);
    }
    app.changed();
  }

  function documentItem(chunks: MemoryRecord[]): HTMLLIElement {
    const first = chunks[0]!;
    const title = metaText(first, 'title') ?? 'untitled';
    return h(
      'li',
      { class: 'record' },
      h('p', {}, h('strong', {}, title)),
      h('div', { class: 'meta' }, `${chunks.length} chunk(s) · archived `, timeEl(first.createdAt)),
      h('p', { class: 'excerpt' }, first.text.slice(0, 160), first.text.length > 160 ? '…' : ''),
      h(
        'button',
        {
          type: 'button',
          class: 'small',
          'aria-label': `Forget document ${title}`,
          onclick: () =>
            void app.attempt(async () => {
              await app.memory.forget(chunks.map((c) => c.id));
              app.changed();
            }, `Forgot ${title}.`),
        },
        'Forget',
      ),
    );
  }

  const element = h(
    'section',
    { class: 'panel', id: 'tier-archive', 'aria-labelledby': 'tier-archive-title' },
    h('h3', { id: 'tier-archive-title' }, 'Archived documents'),
    h('p', { class: 'hint' }, 'Long documents, split into chunks of about 200 words; a search hit names its document.'),
    drop,
    documents,
  );
  return {
    element,
    async refresh() {
      const chunks = await app.memory.list({ tier: 'archival', limit: 1000 });
      const byDocument = new Map<string, MemoryRecord[]>();
      for (const chunk of chunks) {
        const id = metaText(chunk, 'documentId') ?? chunk.id;
        byDocument.set(id, [...(byDocument.get(id) ?? []), chunk]);
      }
      for (const list of byDocument.values()) list.sort((a, b) => Number(a.meta['chunk'] ?? 0) - Number(b.meta['chunk'] ?? 0));
      replace(
        documents,
        ...(byDocument.size
          ? [...byDocument.values()].map(documentItem)
          : [h('li', {}, empty('No documents yet: drop a text or Markdown file above.'))]),
      );
    },
  };
}
