import type { AdapterResult } from '../src/bench.ts';
import type { DatasetSpec } from '../src/dataset.ts';

export interface RunRequest {
  type: 'run';
  adapter: string;
  spec: DatasetSpec;
  key: string;
  M: number;
  efConstruction: number;
  seed: number;
  sweepBudgetMs: number;
}

export type WorkerMessage =
  { type: 'log'; text: string } | { type: 'memory'; id: number } | { type: 'result'; result: AdapterResult };
