// The embedding worker: one model, loaded on the best device the browser offers, answering `embed` calls one
// at a time. A worker of its own, so a long embedding batch never blocks search in the memory worker.

import { expose } from 'comlink';
import { checkEmbeddingOptions, loadBrowserEmbedder } from '../src/adapters/browser-embedding.js';
import type { TransformersEmbedder } from '../src/adapters/transformers-embedder.js';
import { MnemoError } from '../src/core/errors.js';
import { toResult } from '../src/protocol/protocol.js';
import type { EmbeddingWorkerApi } from '../src/adapters/remote-embedder.js';

let embedder: Promise<TransformersEmbedder> | undefined;

const api: EmbeddingWorkerApi = {
  load: (options) =>
    toResult(async () => {
      if (embedder) throw new MnemoError('PROTOCOL_ERROR', 'This embedding worker already holds a model.');
      embedder = loadBrowserEmbedder(checkEmbeddingOptions(options));
      embedder.catch(() => (embedder = undefined));
      return (await embedder).info;
    }),
  embed: (texts, kind) =>
    toResult(async () => {
      if (!embedder) throw new MnemoError('CLOSED', 'No model is loaded in this embedding worker.');
      return (await embedder).embed(texts, { kind });
    }),
};

expose(api);
