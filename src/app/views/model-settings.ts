// Settings, embedding part: the model (none, the registry, a custom host), the device, which device runs and
// why, the index type, and progress bars for the model load and the re-embedding that follows a change.

import { MODEL_REGISTRY, type EmbeddingOptions, type ModelLoadProgress } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { describeError, h, replace } from '../dom.js';

const HASH = 'hash';

/** What each choice means, in plain words. */
const MEANING: Record<string, string> = {
  [HASH]:
    'No model (default): a built-in hash of character n-grams. Nothing to download and works offline at once; it catches misspellings, not meaning, so search leans on shared words.',
  'Xenova/all-MiniLM-L6-v2':
    'all-MiniLM-L6-v2: English, 384 dimensions, small and fast; finds memories by meaning. Downloaded once from the Hugging Face hub (or your host).',
  'Xenova/bge-small-en-v1.5':
    'bge-small-en-v1.5: English, 384 dimensions, strong for search. Downloaded once from the Hugging Face hub (or your host).',
  'Xenova/multilingual-e5-small':
    'multilingual-e5-small: about 100 languages, 384 dimensions. Downloaded once from the Hugging Face hub (or your host).',
  'onnx-community/embeddinggemma-300m-ONNX':
    'EmbeddingGemma 300M: 768 dimensions, the best quality here and the largest download (hundreds of MB); best on WebGPU.',
  'mnemo-tiny-bert-v1':
    'mnemo-tiny-bert-v1: a test model shipped with the app (random weights, no meaning). Loads offline; only for trying the model pipeline.',
  'mnemo-minilm-arch-v1':
    'mnemo-minilm-arch-v1: a generated test model with MiniLM’s shape (random weights); present only if generated locally.',
};

const DEVICES = [
  ['auto', 'Auto: WebGPU on a hardware GPU, otherwise WASM'],
  ['webgpu', 'WebGPU (the GPU; a software adapter is slower than WASM)'],
  ['wasm', 'WASM (the CPU; threads when the page is cross-origin isolated)'],
] as const;

export function modelSettings(app: AppContext): { element: HTMLElement; refresh(): Promise<void> } {
  const current = app.settings.embedding;
  const model = h(
    'select',
    { id: 'settings-model' },
    h('option', { value: HASH }, 'No model (hash embedder)'),
    ...Object.keys(MODEL_REGISTRY).map((id) => h('option', { value: id }, id)),
  );
  model.value = current?.model ?? HASH;
  const meaning = h('p', { id: 'settings-model-meaning', class: 'hint' });
  const host = h('input', {
    id: 'settings-host',
    type: 'url',
    placeholder: 'https://models.example.com/ (empty: huggingface.co)',
    value: current?.remoteHost ?? '',
  });
  const hostRow = h(
    'div',
    { class: 'stack' },
    h('label', { for: 'settings-host' }, 'Model files from this host (custom URL)'),
    host,
  );
  const device = h('select', { id: 'settings-device' }, ...DEVICES.map(([value, label]) => h('option', { value }, label)));
  device.value = current?.device ?? 'auto';
  const apply = h('button', { type: 'submit', class: 'primary' }, 'Use this model');
  const loadBar = h('progress', { id: 'model-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Model load progress' });
  const loadText = h('p', { id: 'model-progress-text', class: 'meta', 'aria-live': 'polite' });
  const inUse = h('dl', { id: 'embedder-info', class: 'report' });
  const reembedBar = h('progress', {
    id: 'reembed-progress',
    max: 1,
    value: 0,
    hidden: true,
    'aria-label': 'Re-embedding progress',
  });
  const reembedText = h('p', { id: 'reembed-text', class: 'meta', 'aria-live': 'polite' });
  let reembedTotal = 0;
  let polling: ReturnType<typeof setTimeout> | undefined;

  const explain = () => {
    replace(meaning, MEANING[model.value] ?? '');
    const spec = MODEL_REGISTRY[model.value];
    hostRow.hidden = !spec || spec.local === true;
    device.disabled = model.value === HASH;
  };
  model.addEventListener('change', explain);
  explain();

  app.onModelProgress((progress: ModelLoadProgress) => {
    loadBar.hidden = false;
    if (progress.stage === 'download') {
      loadBar.value = progress.fraction ?? 0;
      replace(
        loadText,
        `Downloading ${progress.file ?? 'model files'}${progress.fraction !== undefined ? ` (${Math.round(progress.fraction * 100)}%)` : ''}…`,
      );
    } else if (progress.stage === 'compile') {
      loadBar.removeAttribute('value'); // indeterminate while ONNX Runtime compiles
      replace(loadText, 'Compiling the model…');
    } else {
      loadBar.value = 1;
      replace(loadText, 'Model ready.');
    }
  });

  function chosen(): EmbeddingOptions | undefined {
    if (model.value === HASH) return undefined;
    const spec = MODEL_REGISTRY[model.value]!;
    const remoteHost = host.value.trim();
    return {
      model: spec.id,
      device: device.value as 'auto' | 'wasm' | 'webgpu',
      ...(spec.local ? { localModelPath: '/models/' } : remoteHost ? { remoteHost } : {}),
    };
  }

  async function use(event: Event): Promise<void> {
    event.preventDefault();
    const previous = app.settings.embedding;
    const next = chosen();
    apply.disabled = true;
    loadBar.hidden = next === undefined;
    loadBar.value = 0;
    replace(loadText, next ? 'Loading the model…' : '');
    try {
      app.settings.embedding = next;
      await app.open();
      app.save();
      app.say(next ? `Now embedding with ${next.model}.` : 'Now using the built-in hash embedder.');
    } catch (error) {
      // The memory stays usable: back to the previous choice.
      app.settings.embedding = previous;
      replace(loadText, `Could not load it: ${describeError(error)}`);
      loadBar.hidden = true;
      try {
        await app.open();
        app.say(`The model could not be loaded (${describeError(error)}); kept the previous one.`, true);
      } catch (reopen) {
        app.say(
          `The model could not be loaded, and reopening the memory failed too: ${describeError(reopen)}. Reload the page.`,
          true,
        );
      }
    } finally {
      apply.disabled = false;
    }
  }

  async function showStats(): Promise<void> {
    const stats = await app.memory.stats();
    const e = stats.embedder;
    const rows: [string, string][] = [
      ['model', e?.model ?? 'hash embedder'],
      ['device in use', e?.device ?? 'hash'],
      ['why', e?.reason ?? 'no model was chosen'],
      ['dimensions', String(e?.dims ?? stats.vectors?.dims ?? 'n/a')],
      ['index', stats.vectors ? `${stats.vectors.index} (${stats.vectors.count} vectors)` : 'none yet'],
    ];
    if (e?.threads !== undefined) rows.push(['WASM threads', String(e.threads)]);
    replace(inUse, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    const job = stats.reembedding;
    if (job && (job.pending > 0 || job.running)) {
      reembedTotal = Math.max(reembedTotal, job.pending);
      reembedBar.hidden = false;
      reembedBar.max = Math.max(1, reembedTotal);
      reembedBar.value = reembedTotal - job.pending;
      replace(reembedText, `Re-embedding older records with the new model: ${job.pending} left.`);
      clearTimeout(polling);
      polling = setTimeout(() => void showStats().catch(() => undefined), 1000);
    } else {
      if (reembedTotal > 0) replace(reembedText, 'Re-embedding done: every record has a vector of this model.');
      reembedTotal = 0;
      reembedBar.hidden = true;
    }
  }

  const element = h(
    'section',
    { class: 'panel', id: 'settings-embedding', 'aria-labelledby': 'settings-embedding-title' },
    h('h3', { id: 'settings-embedding-title' }, 'Embedding model'),
    h(
      'form',
      { class: 'stack', onsubmit: (event: Event) => void use(event) },
      h('label', { for: 'settings-model' }, 'Model'),
      model,
      meaning,
      hostRow,
      h('label', { for: 'settings-device' }, 'Device'),
      device,
      h('div', { class: 'row' }, apply),
    ),
    loadBar,
    loadText,
    h('h4', {}, 'In use now'),
    inUse,
    reembedBar,
    reembedText,
  );
  return { element, refresh: showStats };
}
