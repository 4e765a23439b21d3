// Turning a call's vector writes into log entries: one entry per embedding model, vectors packed end to end.

import type { VectorWrite } from '../ports.js';

export interface PackedVectors {
  model: string;
  ids: string[];
  vectors: Float32Array;
}

export function packVectorWrites(writes: readonly VectorWrite[]): PackedVectors[] {
  const byModel = new Map<string, VectorWrite[]>();
  for (const write of writes) {
    const group = byModel.get(write.model);
    if (group) group.push(write);
    else byModel.set(write.model, [write]);
  }
  return [...byModel].map(([model, group]) => {
    const dims = group[0]!.vector.length;
    const vectors = new Float32Array(group.length * dims);
    group.forEach((write, i) => vectors.set(write.vector, i * dims));
    return { model, ids: group.map((w) => w.id), vectors };
  });
}
