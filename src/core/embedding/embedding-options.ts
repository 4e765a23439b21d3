// The embedding choice a page makes (`createMemory({ embedding })`), checked: a known model, a device, one source.

import type { EmbeddingOptions } from '../api.js';
import { checkLabel, checkOptions, invalid } from '../validate.js';
import { MODEL_REGISTRY } from './model-registry.js';

export function checkEmbeddingOptions(value: unknown): EmbeddingOptions {
  const opts = checkOptions(value, ['model', 'device', 'localModelPath', 'remoteHost'], 'options.embedding');
  const model = checkLabel(opts['model'], 'options.embedding.model');
  if (!Object.hasOwn(MODEL_REGISTRY, model)) {
    throw invalid(
      'options.embedding.model',
      `"${model}" is not a known model (known: ${Object.keys(MODEL_REGISTRY).join(', ')})`,
    );
  }
  const device = opts['device'] ?? 'auto';
  if (device !== 'auto' && device !== 'wasm' && device !== 'webgpu')
    throw invalid('options.embedding.device', 'must be "auto", "wasm" or "webgpu"');
  const options: EmbeddingOptions = { model, device };
  if (opts['localModelPath'] !== undefined) {
    const path = checkLabel(opts['localModelPath'], 'options.embedding.localModelPath');
    // transformers.js silently skips the tokenizer when given a URL here (shared/ENVIRONMENT.md).
    if (/^[a-z]+:/i.test(path))
      throw invalid('options.embedding.localModelPath', 'must be a path such as "/models/", not a URL (use remoteHost)');
    options.localModelPath = path;
  }
  if (opts['remoteHost'] !== undefined) options.remoteHost = checkLabel(opts['remoteHost'], 'options.embedding.remoteHost');
  return options;
}
