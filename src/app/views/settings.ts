// Settings: the embedding model, backups, forgetting everything, storage and persistence, an optional LLM,
// and encryption at rest.

import { TIERS } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { bytes, download, h, replace } from '../dom.js';
import type { View } from '../view.js';
import { encryptionSettings } from './encryption-settings.js';
import { modelSettings } from './model-settings.js';

function panel(id: string, title: string, ...body: (Node | string)[]): HTMLElement {
  return h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, h('h3', { id: `${id}-title` }, title), ...body);
}

export function settingsView(app: AppContext): View {
  const models = modelSettings(app);
  const encryption = encryptionSettings(app);

  const importFile = h('input', {
    type: 'file',
    id: 'import-file',
    accept: '.jsonl,application/x-ndjson,application/json,text/plain',
  });
  importFile.addEventListener('change', () => {
    const file = importFile.files?.[0];
    if (!file) return;
    void app
      .attempt(async () => {
        const result = await app.memory.import(await file.text());
        app.changed();
        return result;
      })
      .then((result) => {
        importFile.value = '';
        if (result) app.say(`Imported ${result.records} records and ${result.vectors} vectors from ${file.name}.`);
      });
  });
  const backup = panel(
    'settings-backup',
    'Backup',
    h(
      'p',
      { class: 'hint' },
      'A backup is one JSON Lines file with every record and its vector. Import needs an empty memory: forget everything first, or import on another device.',
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          id: 'export',
          onclick: () =>
            void app.attempt(async () => {
              const text = await app.memory.export();
              download(`mnemo-backup-${new Date().toISOString().slice(0, 10)}.jsonl`, text);
              app.say(`Exported ${text.split('\n').filter(Boolean).length - 1} records.`);
            }),
        },
        'Export a backup',
      ),
      h('label', { for: 'import-file' }, 'Import a backup'),
      importFile,
    ),
  );

  const confirm = h('input', { type: 'checkbox', id: 'forget-confirm' });
  const forgetAll = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      id: 'forget-all',
      onclick: () => {
        if (!confirm.checked) {
          app.say('Tick "Yes, forget everything" first.', true);
          confirm.focus();
          return;
        }
        void app.attempt(async () => {
          let gone = 0;
          for (const tier of TIERS) gone += (await app.memory.forget({ tier })).length;
          // Rows set aside as unreadable still hold their text: everything includes them.
          gone += (await app.memory.purgeQuarantine()).length;
          confirm.checked = false;
          app.changed();
          app.say(`Forgot everything: ${gone} records deleted from this device.`);
        });
      },
    },
    'Forget everything',
  );
  const forget = panel(
    'settings-forget',
    'Forget',
    h(
      'p',
      { class: 'hint' },
      'Forget one memory with its Forget button (Memory, Search, Timeline). This deletes every record, vector and index entry of this memory; export a backup first if you may want it back.',
    ),
    h(
      'div',
      { class: 'row' },
      h('label', { class: 'inline', for: 'forget-confirm' }, confirm, ' Yes, forget everything'),
      forgetAll,
    ),
  );

  const storageInfo = h('dl', { id: 'storage-info', class: 'report' });
  const persist = h(
    'button',
    {
      type: 'button',
      id: 'persist',
      onclick: () =>
        void app.attempt(async () => {
          const granted = (await navigator.storage?.persist?.()) ?? false;
          app.say(
            granted
              ? 'Storage is persistent: the browser will not clear it under pressure.'
              : 'The browser did not grant persistent storage (it decides; installing the app or bookmarking it helps).',
          );
          await showStorage();
        }),
    },
    'Make storage persistent',
  );
  const storage = panel('settings-storage', 'Storage', storageInfo, persist);
  async function showStorage(): Promise<void> {
    const estimate = (await navigator.storage?.estimate?.()) ?? {};
    const persisted = (await navigator.storage?.persisted?.()) ?? false;
    const stats = await app.memory.stats();
    replace(
      storageInfo,
      ...(
        [
          ['records', String(stats.records)],
          ['used by this site', bytes(estimate.usage)],
          ['available to it', bytes(estimate.quota)],
          ['persistent', persisted ? 'yes: kept until you delete it' : 'no: the browser may clear it when the disk is full'],
        ] as const
      ).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    );
    persist.hidden = persisted;
  }

  const llm = app.settings.llm;
  const endpoint = h('input', {
    id: 'llm-endpoint',
    type: 'url',
    required: true,
    placeholder: 'http://localhost:11434/v1',
    value: llm?.endpoint ?? '',
  });
  const apiKey = h('input', { id: 'llm-key', type: 'password', autocomplete: 'off', value: llm?.apiKey ?? '' });
  const llmModel = h('input', { id: 'llm-model', required: true, placeholder: 'llama3.2', value: llm?.model ?? '' });
  const llmState = h('p', { id: 'llm-state', class: 'meta' });
  const showLlm = () =>
    replace(
      llmState,
      app.settings.llm
        ? `Connected: ${app.settings.llm.model} at ${app.settings.llm.endpoint}.`
        : 'Not connected: everything else works without one.',
    );
  const llmPanel = panel(
    'settings-llm',
    'Language model (optional)',
    h(
      'p',
      { class: 'hint' },
      'Any OpenAI-compatible endpoint: a local one (Ollama, LM Studio, llama.cpp) keeps everything on this machine; a remote one receives each question and the memory context given with it. The endpoint, model and key are kept in this browser’s localStorage, unencrypted even when encryption at rest is on.',
    ),
    h(
      'form',
      {
        class: 'stack',
        onsubmit: (event: Event) => {
          event.preventDefault();
          app.settings.llm = { endpoint: endpoint.value.trim(), apiKey: apiKey.value, model: llmModel.value.trim() };
          app.save();
          showLlm();
          app.changed();
          app.say('LLM connected: Chat answers with it, Consolidate can use it.');
        },
      },
      h('label', { for: 'llm-endpoint' }, 'LLM endpoint URL'),
      endpoint,
      h('label', { for: 'llm-key' }, 'API key (empty for a local server)'),
      apiKey,
      h('label', { for: 'llm-model' }, 'LLM model name'),
      llmModel,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit' }, 'Connect'),
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              delete app.settings.llm;
              app.save();
              showLlm();
              app.changed();
              app.say('LLM disconnected.');
            },
          },
          'Disconnect',
        ),
      ),
    ),
    llmState,
  );

  return {
    id: 'settings',
    title: 'Settings',
    element: h(
      'section',
      { id: 'view-settings', 'aria-labelledby': 'settings-title' },
      h('h2', { id: 'settings-title' }, 'Settings'),
      models.element,
      backup,
      forget,
      storage,
      encryption.element,
      llmPanel,
    ),
    async refresh() {
      showLlm();
      await Promise.all([models.refresh(), showStorage(), encryption.refresh()]);
    },
  };
}
