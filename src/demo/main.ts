// The foundation demo: add, search, list and delete memories through the SDK. The full PWA is its own issue.

import { createMemory, isMnemoError, type MemoryClient, type MemoryRecord } from 'mnemo';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');

function say(message: string, isError = false): void {
  status.textContent = message;
  status.classList.toggle('error', isError);
}

function describeError(error: unknown): string {
  return isMnemoError(error) ? `${error.code}: ${error.message}` : String(error);
}

function describeRecord(record: MemoryRecord): string {
  const who = record.speaker ? `${record.speaker} · ` : '';
  const session = record.sessionId ? ` · session ${record.sessionId}` : '';
  return `${who}${new Date(record.createdAt).toLocaleString()}${session}`;
}

async function start(): Promise<MemoryClient> {
  try {
    return await createMemory({ namespace: 'demo' });
  } catch (error) {
    say(`Mnemo could not start: ${describeError(error)}`, true);
    throw error;
  }
}

const memory = await start();

async function refreshList(): Promise<void> {
  const records = await memory.list({ limit: 100 });
  const stats = await memory.stats();
  $('count').textContent = `(${stats.records})`;
  const list = $('records');
  list.replaceChildren(
    ...records.map((record) => {
      const item = document.createElement('li');
      const text = document.createElement('span');
      text.textContent = record.text;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = describeRecord(record);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Forget';
      remove.setAttribute('aria-label', `Forget "${record.text.slice(0, 40)}"`);
      remove.addEventListener('click', () => void forget(record.id));
      item.append(text, ' ', remove, meta);
      return item;
    }),
  );
  if (records.length === 0) list.innerHTML = '<li class="meta">Nothing yet: write something above.</li>';
}

async function forget(id: string): Promise<void> {
  try {
    await memory.forget(id);
    say('Forgotten.');
    await refreshList();
  } catch (error) {
    say(describeError(error), true);
  }
}

$<HTMLFormElement>('add-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $<HTMLTextAreaElement>('add-text').value;
  const speaker = $<HTMLInputElement>('add-speaker').value.trim();
  const sessionId = $<HTMLInputElement>('add-session').value.trim();
  void (async () => {
    try {
      await memory.remember({ text, ...(speaker && { speaker }), ...(sessionId && { sessionId }) });
      $<HTMLTextAreaElement>('add-text').value = '';
      say('Remembered.');
      await refreshList();
    } catch (error) {
      say(describeError(error), true);
    }
  })();
});

$<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const query = $<HTMLInputElement>('search-query').value;
  void (async () => {
    try {
      const hits = await memory.recall(query, { k: 10 });
      $('hits').replaceChildren(
        ...hits.map((hit) => {
          const item = document.createElement('li');
          item.textContent = `${hit.record.text} `;
          const score = document.createElement('span');
          score.className = 'meta';
          const dense = hit.scores.dense === undefined ? '' : ` · dense ${hit.scores.dense.toFixed(2)}`;
          score.textContent = `score ${hit.score.toFixed(2)} · lexical ${hit.scores.lexical.toFixed(2)}${dense}`;
          item.append(score);
          return item;
        }),
      );
      say(hits.length ? `${hits.length} found.` : 'No memory matches those words.');
    } catch (error) {
      say(describeError(error), true);
    }
  })();
});

await refreshList();
say('Ready. Your memories are stored in this browser only.');
