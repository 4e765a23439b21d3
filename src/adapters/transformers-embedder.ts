// The Embedder port on transformers.js: the model's tokenizer (truncating to the model's maximum tokens) and
// encoder through ONNX Runtime, pooled (mean or CLS) and normalised; one call at a time, texts sorted by
// length so a batch pads little.

import {
  AutoModel,
  AutoTokenizer,
  env,
  mean_pooling,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
  type Tensor,
} from '@huggingface/transformers';
import { throwIfAborted, type AbortSignalLike } from '../core/abort.js';
import type { EmbedderInfo, ModelLoadProgress } from '../core/api.js';
import type { ModelSpec } from '../core/embedding/model-registry.js';
import { MnemoError } from '../core/errors.js';
import type { Embedder } from '../core/ports.js';

export type EmbeddingDevice = 'cpu' | 'wasm' | 'webgpu';

export interface TransformersEmbedderOptions {
  model: ModelSpec;
  /** 'cpu' is onnxruntime-node (Node); 'wasm' and 'webgpu' are onnxruntime-web (browsers). */
  device: EmbeddingDevice;
  /** A folder of models (`<path>/<model id>/onnx/model.onnx`, ...); with it nothing is fetched from the hub. */
  localModelPath?: string;
  /** Texts per inference call; default `defaultMaxBatch(device, threads)`. */
  maxBatch?: number;
  /** Download and compile progress. */
  onProgress?: (progress: ModelLoadProgress) => void;
  /** Why this device, for `stats().embedder`. */
  reason?: string;
  threads?: number;
}

/**
 * Texts per inference call. On one WASM thread a batch only adds padding and cache pressure: one text at a
 * time was fastest (MiniLM-architecture model, LoCoMo turns: fp32 31 vs 24.5 sentences/s at 32, q8 53-55 vs
 * 39-47). With more threads, on WebGPU and in Node, batches of 32 win (Node q8 504 vs 295 at 1).
 */
export function defaultMaxBatch(device: EmbeddingDevice, threads = 1): number {
  return device === 'wasm' && threads <= 1 ? 1 : 32;
}

/** transformers.js progress events as Mnemo's: per-file bytes, the overall fraction, and compile after the model file. */
function progressReporter(report: (progress: ModelLoadProgress) => void): (info: ProgressInfo) => void {
  return (info) => {
    if (info.status === 'progress') report({ stage: 'download', file: info.file, loaded: info.loaded, total: info.total });
    else if (info.status === 'progress_total')
      report({ stage: 'download', fraction: info.progress / 100, loaded: info.loaded, total: info.total });
    else if (info.status === 'done' && info.file.endsWith('.onnx')) report({ stage: 'compile', file: info.file });
  };
}

export class TransformersEmbedder implements Embedder {
  readonly model: string;
  readonly dims: number;
  readonly info: EmbedderInfo;
  // Inference runs one call at a time: ONNX Runtime sessions are not re-entrant, and a queue keeps order.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly spec: ModelSpec,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly encoder: PreTrainedModel,
    private readonly maxBatch: number,
    info: Omit<EmbedderInfo, 'model' | 'dims'>,
  ) {
    this.model = spec.id;
    this.dims = spec.dims;
    this.info = { model: spec.id, dims: spec.dims, ...info };
  }

  static async load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const { model, device } = options;
    if (options.localModelPath !== undefined) {
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = options.localModelPath;
    }
    let tokenizer: PreTrainedTokenizer;
    let encoder: PreTrainedModel;
    try {
      const progress_callback = options.onProgress && progressReporter(options.onProgress);
      tokenizer = await AutoTokenizer.from_pretrained(model.id, { ...(progress_callback && { progress_callback }) });
      encoder = await AutoModel.from_pretrained(model.id, {
        device,
        dtype: model.dtype[device],
        ...(progress_callback && { progress_callback }),
      });
    } catch (error) {
      throw new MnemoError('MODEL_UNAVAILABLE', `The embedding model "${model.id}" could not be loaded on ${device}.`, {
        cause: error,
        details: { model: model.id, device },
      });
    }
    return new TransformersEmbedder(model, tokenizer, encoder, options.maxBatch ?? defaultMaxBatch(device, options.threads), {
      device,
      reason: options.reason ?? `${device} asked for`,
      ...(options.threads !== undefined && { threads: options.threads }),
    });
  }

  embed(
    texts: readonly string[],
    options: { signal?: AbortSignalLike; kind?: 'query' | 'document' } = {},
  ): Promise<Float32Array[]> {
    const run = this.queue.then(() => this.embedNow(texts, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    await this.encoder.dispose();
  }

  private async embedNow(
    texts: readonly string[],
    options: { signal?: AbortSignalLike; kind?: 'query' | 'document' },
  ): Promise<Float32Array[]> {
    const prefix = options.kind === 'query' ? this.spec.queryPrefix : this.spec.documentPrefix;
    // Longest first, in batches: texts of like length pad to like length, so little compute is spent on padding.
    const order = texts.map((_, i) => i).sort((a, b) => texts[b]!.length - texts[a]!.length);
    const out: Float32Array[] = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.maxBatch) {
      throwIfAborted(options.signal);
      const batch = order.slice(start, start + this.maxBatch);
      const tensor = await this.encode(batch.map((i) => prefix + texts[i]!));
      const [rows, dims] = tensor.dims as [number, number];
      if (rows !== batch.length || dims !== this.dims) {
        throw new MnemoError(
          'INDEX_DIMENSION_MISMATCH',
          `The model "${this.model}" gave ${rows}x${dims}, expected ${batch.length}x${this.dims}.`,
          {
            details: { model: this.model, dims, expected: this.dims },
          },
        );
      }
      const data = tensor.data as Float32Array;
      batch.forEach((textIndex, row) => (out[textIndex] = data.slice(row * dims, (row + 1) * dims)));
    }
    return out;
  }

  /** Sentence embeddings of a batch: [batch, dims], unit length. */
  private async encode(texts: string[]): Promise<Tensor> {
    const inputs = this.tokenizer(texts, { padding: true, truncation: true, max_length: this.spec.maxTokens });
    const { last_hidden_state: hidden } = (await this.encoder(inputs)) as { last_hidden_state: Tensor };
    const pooled = this.spec.pooling === 'mean' ? mean_pooling(hidden, inputs.attention_mask) : hidden.slice(null, 0, null);
    return pooled.normalize(2, -1);
  }
}
