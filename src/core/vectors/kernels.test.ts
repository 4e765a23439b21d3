import { describe, expect, it } from 'vitest';
import { createKernels } from './kernels.js';
import { SeededRandom } from './seeded-random.js';
import { KERNELS_WASM } from './kernels-wasm.js';

describe('kernels', () => {
  it('run as WebAssembly SIMD in Node', () => {
    expect(createKernels().simd).toBe(true);
    expect(createKernels(true).simd).toBe(false);
  });

  it('agree between SIMD and JavaScript on every export', () => {
    const len = 48;
    const count = 7;
    // The same data at the same offsets in both memories: query at byte 1024, vectors after it, int8 at 8192.
    const results = [createKernels(), createKernels(true)].map((k) => {
      k.memory.grow(1);
      const f32 = new Float32Array(k.memory.buffer);
      const i8 = new Int8Array(k.memory.buffer);
      const i32 = new Int32Array(k.memory.buffer);
      const rnd = new SeededRandom(11);
      for (let i = 0; i < (count + 1) * len; i++) f32[256 + i] = rnd.next() - 0.5;
      for (let i = 0; i < (count + 1) * len; i++) i8[8192 + i] = Math.floor(rnd.next() * 255) - 127;
      i32.set([3, 0, 6], 4096 / 4);
      k.dot_range(1024, 1024 + len * 4, count, len, 2048);
      const range = Array.from(f32.subarray(512, 512 + count));
      k.dot_gather(1024, 1024 + len * 4, 4096, 3, len, 3072);
      const gather = Array.from(f32.subarray(768, 771));
      k.dot_i8_range(8192, 8192 + len, count, len, 6144);
      const ints = Array.from(i32.subarray(1536, 1536 + count));
      return { dot: k.dot(1024, 1024 + len * 4, len), range, gather, ints };
    });
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    expect(a.dot).toBeCloseTo(b.dot, 5);
    a.range.forEach((x, i) => expect(x).toBeCloseTo(b.range[i]!, 5));
    expect(a.gather[0]).toBeCloseTo(a.range[3]!, 6);
    expect(a.gather[2]).toBeCloseTo(a.range[6]!, 6);
    a.gather.forEach((x, i) => expect(x).toBeCloseTo(b.gather[i]!, 5));
    expect(a.ints).toEqual(b.ints);
    expect(a.ints.some((x) => x !== 0)).toBe(true);
  });

  it('are embedded from the current kernels.wat', async () => {
    // @ts-expect-error: a plain .mjs script without declarations
    const script = (await import('../../../scripts/build-kernels.mjs')) as { compileKernels: () => Promise<number[]> };
    expect(Array.from(KERNELS_WASM)).toEqual(await script.compileKernels());
  });
});
