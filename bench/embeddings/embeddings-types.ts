// What the embedding benchmark's page and worker exchange.

export interface EmbeddingRun {
  model: string;
  device: 'wasm' | 'webgpu';
  dtype: 'fp32' | 'q8';
  threads: number;
  /** Texts per inference call of Mnemo's embedder; default its own. */
  maxBatch?: number;
  texts: string[];
  queries: string[];
  /** Also time a plain pipeline over the texts in arrival order: one call, and one call per text. */
  plainBaseline: boolean;
}

export interface EmbeddingResult {
  mnemoMs: number;
  /** One pipeline call over all texts in arrival order. */
  plainMs: number | undefined;
  /** One pipeline call per text. */
  perTextMs: number | undefined;
  queryP50Ms: number;
  crossOriginIsolated: boolean;
}

export interface IngestRun {
  texts: { text: string; speaker: string; sessionId: string }[];
}

export interface IngestResult {
  embedOnlyMs: number;
  rememberMs: number;
  device: string;
}
