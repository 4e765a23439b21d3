// One embedding model loaded ahead of the open that will use it (a follower's standby host, `HostFacade.prepare`),
// held until that open takes it: a tab taking over from a lost leader then waits only for what is left of the load.

import type { EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import { checkEmbeddingOptions } from '../core/embedding/embedding-options.js';
import type { Embedder } from '../core/ports.js';

/** A model being loaded (in a worker of its own, say), and how to let it go. */
export interface ModelLoad {
  readonly loading: Promise<Embedder>;
  dispose(): void;
}

export type StartModel = (
  options: EmbeddingOptions,
  onProgress: ((progress: ModelLoadProgress) => void) | undefined,
) => ModelLoad;

interface Held {
  key: string;
  load: ModelLoad;
  /** Who hears the load's progress: nobody until an open takes it. */
  listener: ((progress: ModelLoadProgress) => void) | undefined;
  last: ModelLoadProgress | undefined;
  /** Settles once the model is loaded and has run once. */
  warm: Promise<void>;
}

const WARM_UP = 'Mnemo';

export class PreparedModel {
  private held: Held | undefined;

  constructor(private readonly start: StartModel) {}

  /**
   * Starts loading the model of `options` unless it is held already (another model held is let go first: a host
   * keeps at most one), then embeds one short text, since a model's first inference is slower than the rest (ONNX
   * Runtime sets its session up then). Resolves once that is done; a load that fails is forgotten, so the open
   * loads the model itself (a failed warm-up is not a failed load).
   */
  prepare(options: EmbeddingOptions): Promise<void> {
    const key = keyOf(options);
    if (this.held?.key !== key) {
      this.held?.load.dispose();
      const held = { key, listener: undefined, last: undefined } as Held;
      held.load = this.start(options, (progress) => {
        held.last = progress;
        held.listener?.(progress);
      });
      this.held = held;
      held.warm = held.load.loading.then(
        (embedder) =>
          embedder.embed([WARM_UP], { kind: 'query' }).then(
            () => undefined,
            () => undefined,
          ),
        (error: unknown) => {
          if (this.held === held) {
            this.held = undefined;
            held.load.dispose();
          }
          throw error;
        },
      );
      held.warm.catch(() => undefined);
    }
    return this.held.warm;
  }

  /**
   * The model for an open with `options`: the held load if it is for the same options (its progress from here on,
   * starting with the stage it reached, goes to `onProgress`; should it fail, the model is loaded again, so the open
   * fails only as it would have without it), else a fresh load.
   */
  take(options: EmbeddingOptions, onProgress: ((progress: ModelLoadProgress) => void) | undefined): ModelLoad {
    const held = this.held;
    if (held?.key !== keyOf(options)) return this.start(options, onProgress);
    this.held = undefined;
    held.listener = onProgress;
    if (held.last) onProgress?.(held.last);
    let again: ModelLoad | undefined;
    const loading = held.load.loading.catch(() => {
      held.load.dispose();
      again = this.start(options, onProgress);
      return again.loading;
    });
    return {
      loading,
      dispose: () => {
        held.load.dispose();
        again?.dispose();
      },
    };
  }

  /** Whether a model is held for the next open (for tests and diagnostics). */
  holds(options: EmbeddingOptions): boolean {
    return this.held?.key === keyOf(options);
  }
}

/** The checked options list their fields in one order, so equal options give equal keys. */
function keyOf(options: EmbeddingOptions): string {
  return JSON.stringify(checkEmbeddingOptions(options));
}
