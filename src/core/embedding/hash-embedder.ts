// The embedder of last resort: character n-gram feature hashing. No model, no download, deterministic;
// it keeps the dense path working offline and in tests. It carries spelling similarity, not meaning.

import type { EmbedderInfo } from '../api.js';
import type { Embedder } from '../ports.js';
import { fnv1a } from '../fnv1a.js';

export interface HashEmbedderOptions {
  /** Vector size; default 256. */
  dims?: number;
  /** Character n-gram lengths, taken inside words padded with spaces; default 3 to 4. */
  minGram?: number;
  maxGram?: number;
}

export class HashEmbedder implements Embedder {
  readonly model: string;
  readonly dims: number;
  /**
   * Spelling similarity is a weak signal: on the LoCoMo dev turns any larger share lowered recall@10
   * (docs/BENCHMARKS.md), so it mostly orders what the words did not match.
   */
  readonly denseWeight = 0.03;
  readonly info: EmbedderInfo;
  private readonly minGram: number;
  private readonly maxGram: number;

  constructor(options: HashEmbedderOptions = {}) {
    this.dims = options.dims ?? 256;
    this.minGram = options.minGram ?? 3;
    this.maxGram = options.maxGram ?? 4;
    // The parameters are part of the id: vectors made with other parameters are not comparable.
    this.model = `mnemo-hash-v1-d${this.dims}-n${this.minGram}${this.maxGram}`;
    this.info = { model: this.model, dims: this.dims, device: 'hash', reason: 'no embedding model configured' };
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dims);
    for (const word of text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []) {
      const padded = ` ${word} `;
      for (let n = this.minGram; n <= this.maxGram; n++) {
        for (let i = 0; i + n <= padded.length; i++) {
          const hash = fnv1a(padded, i, i + n);
          // The sign bit keeps unrelated grams from only ever adding up (the hashing trick).
          const at = hash % this.dims;
          vector[at] = vector[at]! + (hash & 0x80000000 ? -1 : 1);
        }
      }
    }
    let norm = 0;
    for (const x of vector) norm += x * x;
    if (norm === 0)
      vector[0] = 1; // text without words still gets a valid unit vector
    else for (let i = 0; i < this.dims; i++) vector[i] = vector[i]! / Math.sqrt(norm);
    return vector;
  }
}
