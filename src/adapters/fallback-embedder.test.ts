// The run-time fallback, with stand-in embedders (the real WebGPU failure cannot be provoked on demand).

import { describe, expect, it } from 'vitest';
import type { EmbedderInfo } from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import { codeOf } from '../core/test-support.js';
import { FallbackEmbedder, type InfoEmbedder } from './fallback-embedder.js';

function stand(
  device: EmbedderInfo['device'],
  behave: (texts: readonly string[]) => Float32Array[],
): InfoEmbedder & { calls: number } {
  const embedder = {
    model: 'm',
    dims: 2,
    calls: 0,
    info: { model: 'm', dims: 2, device, reason: `${device} chosen` },
    async embed(texts: readonly string[]) {
      embedder.calls++;
      return behave(texts);
    },
  };
  return embedder;
}

const ok = (texts: readonly string[]) => texts.map(() => Float32Array.of(1, 0));

describe('FallbackEmbedder', () => {
  it('retries a failed WebGPU call on WASM, once, and says why', async () => {
    const gpu = stand('webgpu', () => {
      throw new Error('device lost');
    });
    const wasm = stand('wasm', ok);
    const reasons: string[] = [];
    const embedder = new FallbackEmbedder(gpu, async (why) => {
      reasons.push(why);
      wasm.info.reason = `WebGPU failed at run (${why}); fell back to WASM`;
      return wasm;
    });
    const [a, b] = await Promise.all([embedder.embed(['x']), embedder.embed(['y', 'z'])]);
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
    expect(reasons).toEqual(['device lost']);
    expect(embedder.info).toMatchObject({ device: 'wasm', reason: 'WebGPU failed at run (device lost); fell back to WASM' });
    await embedder.embed(['again']);
    expect(gpu.calls).toBe(2);
  });

  it('passes aborts and WASM failures through', async () => {
    const aborted = new FallbackEmbedder(
      stand('webgpu', () => {
        throw new MnemoError('ABORTED', 'stop');
      }),
      () => Promise.reject(new Error('must not load')),
    );
    expect(await codeOf(aborted.embed(['x']))).toBe('ABORTED');
    const wasm = new FallbackEmbedder(
      stand('wasm', () => {
        throw new MnemoError('INVALID_VECTOR', 'bad');
      }),
      () => Promise.reject(new Error('must not load')),
    );
    expect(await codeOf(wasm.embed(['x']))).toBe('INVALID_VECTOR');
  });
});
