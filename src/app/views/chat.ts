// Chat: write notes or conversation turns in a session; each is remembered. With an LLM, it answers from the
// context Mnemo assembles, shown beside the answer.

import type { MemoryRecord } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { describeError, empty, h, replace, timeEl } from '../dom.js';
import { askLlm, SYSTEM_PREAMBLE } from '../llm.js';
import { newSessionId } from '../settings-store.js';
import type { View } from '../view.js';

export function chatView(app: AppContext): View {
  const sessions = h('select', { id: 'chat-session', onchange: () => void switchSession(sessions.value) });
  const turns = h('ol', { class: 'turns', id: 'chat-turns', 'aria-live': 'polite' });
  const text = h('textarea', { id: 'chat-text', rows: 3, required: true, placeholder: 'Ada prefers green tea' });
  const speaker = h(
    'select',
    { id: 'chat-speaker' },
    h('option', { value: 'user' }, 'me (user)'),
    h('option', { value: 'assistant' }, 'assistant'),
  );
  const tags = h('input', { id: 'chat-tags', placeholder: 'travel, family', size: 14 });
  const ask = h('input', { type: 'checkbox', id: 'chat-ask', checked: true });
  const askRow = h('label', { class: 'inline', for: 'chat-ask' }, ask, ' Ask the LLM to answer');
  const contextText = h('pre', { id: 'chat-context', class: 'context' });
  const answer = h('div', { id: 'chat-answer', class: 'answer', 'aria-live': 'polite' });
  const side = h(
    'aside',
    { class: 'chat-side', 'aria-labelledby': 'chat-side-title' },
    h('h3', { id: 'chat-side-title' }, 'LLM answer and the context it was given'),
    answer,
    h('h4', {}, 'Context from memory'),
    contextText,
  );

  const form = h(
    'form',
    { id: 'chat-form', onsubmit: (event: Event) => void submit(event) },
    h('label', { for: 'chat-text' }, 'Write a note or a turn of the conversation'),
    text,
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'chat-speaker' }, 'Said by'),
      speaker,
      h('label', { for: 'chat-tags' }, 'Tags'),
      tags,
      askRow,
      h('button', { type: 'submit', class: 'primary' }, 'Remember'),
    ),
  );
  text.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter starts a new line: the chat habit.
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  const element = h(
    'section',
    { id: 'view-chat', 'aria-labelledby': 'chat-title' },
    h('h2', { id: 'chat-title' }, 'Chat'),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'chat-session' }, 'Conversation'),
      sessions,
      h('button', { type: 'button', onclick: () => void switchSession(newSessionId()) }, 'New conversation'),
    ),
    h('div', { class: 'chat-layout' }, h('div', { class: 'chat-main' }, turns, form), side),
  );

  async function switchSession(id: string): Promise<void> {
    app.settings.sessionId = id;
    app.save();
    replace(answer);
    replace(contextText);
    await view.refresh();
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const sessionId = app.settings.sessionId;
    const tagList = tags.value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const said = await app.attempt(
      () =>
        app.memory.remember({ text: text.value, speaker: speaker.value, sessionId, ...(tagList.length && { tags: tagList }) }),
      'Remembered.',
    );
    if (!said) return;
    text.value = '';
    tags.value = '';
    app.changed();
    const llm = app.settings.llm;
    if (llm && ask.checked && speaker.value === 'user') await answerWithLlm(said.text, sessionId);
  }

  async function answerWithLlm(question: string, sessionId: string): Promise<void> {
    const llm = app.settings.llm!;
    replace(answer, h('p', { class: 'meta' }, `Asking ${llm.model}…`));
    const built = await app.attempt(() => app.memory.context(question, { sessionId, budgetTokens: 1500 }));
    if (!built) return;
    replace(contextText, built.text || '(the memory had nothing to add)');
    try {
      const reply = await askLlm(llm, SYSTEM_PREAMBLE + built.text, question);
      replace(answer, h('p', {}, reply), h('p', { class: 'meta' }, `${llm.model} · ${built.tokens} context tokens`));
      await app.memory.remember({ text: reply, speaker: 'assistant', sessionId, source: { kind: 'llm', name: llm.model } });
      app.changed();
    } catch (error) {
      replace(answer, h('p', { class: 'error' }, `The LLM could not answer: ${describeError(error)}`));
    }
  }

  function renderTurn(record: MemoryRecord): HTMLLIElement {
    return h(
      'li',
      { class: `turn ${record.speaker === 'assistant' ? 'assistant' : 'user'}` },
      h('div', { class: 'meta' }, record.speaker ?? 'note', ' · ', timeEl(record.eventAt)),
      h('p', {}, record.text),
    );
  }

  const view: View = {
    id: 'chat',
    title: 'Chat',
    element,
    async refresh() {
      const sessionId = app.settings.sessionId;
      const [records, episodic] = await Promise.all([
        app.memory.list({ sessionId, order: 'asc', limit: 500 }),
        app.memory.list({ tier: 'episodic', limit: 1000 }),
      ]);
      const ids = new Set(episodic.flatMap((r) => (r.sessionId && r.meta['summaryOf'] === undefined ? [r.sessionId] : [])));
      ids.add(sessionId);
      replace(
        sessions,
        ...[...ids]
          .sort()
          .reverse()
          .map((id) => h('option', { value: id, selected: id === sessionId }, id)),
      );
      const said = records.filter((r) => r.meta['summaryOf'] === undefined);
      replace(
        turns,
        ...(said.length
          ? said.map(renderTurn)
          : [h('li', {}, empty('Nothing said in this conversation yet: write below and press Remember.'))]),
      );
      askRow.hidden = !app.settings.llm;
      side.hidden = !app.settings.llm;
    },
  };
  return view;
}
