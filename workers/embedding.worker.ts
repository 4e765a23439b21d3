// The embedding worker: one model, loaded on the best device the browser offers, answering `embed` calls one
// at a time. A worker of its own, so a long embedding batch never blocks search in the memory worker.

import { expose } from 'comlink';
import { loadBrowserEmbedder } from '../src/adapters/browser-embedding.js';
import { checkEmbeddingOptions } from '../src/core/embedding/embedding-options.js';
import type { InfoEmbedder } from '../src/adapters/fallback-embedder.js';
import type { ModelLoadProgress } from '../src/core/api.js';
import { MnemoError } from '../src/core/errors.js';
import { toResult } from '../src/protocol/protocol.js';
import type { EmbeddingWorkerApi } from '../src/adapters/remote-embedder.js';

let embedder: Promise<InfoEmbedder> | undefined;

const api: EmbeddingWorkerApi = {
  load: (options, onProgress) =>
    toResult(async () => {
      if (embedder) throw new MnemoError('PROTOCOL_ERROR', 'This embedding worker already holds a model.');
      // A listener that fails or went away must not fail the load.
      const report =
        onProgress && ((progress: ModelLoadProgress) => void Promise.resolve(onProgress(progress)).catch(() => undefined));
      embedder = loadBrowserEmbedder(checkEmbeddingOptions(options), report);
      embedder.catch(() => (embedder = undefined));
      return (await embedder).info;
    }),
  embed: (texts, kind) =>
    toResult(async () => {
      if (!embedder) throw new MnemoError('CLOSED', 'No model is loaded in this embedding worker.');
      const loaded = await embedder;
      const vectors = await loaded.embed(texts, kind ? { kind } : {});
      return { vectors, info: loaded.info };
    }),
};

expose(api);
