// Dot-product kernels over one linear memory: WebAssembly SIMD where the engine has it, plain JavaScript otherwise.

import { KERNELS_WASM } from './kernels-wasm.js';

const PAGE = 65536;

/** A growable linear memory: a WebAssembly.Memory, or an ArrayBuffer the fallback replaces as it grows. */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The exports of kernels.wat; offsets are in bytes, `len` in elements (a multiple of 16). */
export interface Kernels {
  readonly memory: LinearMemory;
  readonly simd: boolean;
  dot(a: number, b: number, len: number): number;
  dot_range(q: number, base: number, count: number, len: number, out: number): void;
  dot_gather(q: number, base: number, slots: number, count: number, len: number, out: number): void;
  dot_i8_range(q: number, base: number, count: number, len: number, out: number): void;
}

// The core compiles without DOM or Node types, so WebAssembly is reached through its structural shape.
interface WasmGlobal {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

let compiled: object | null | undefined;

function wasmModule(): object | null {
  if (compiled !== undefined) return compiled;
  const wasm = (globalThis as { WebAssembly?: WasmGlobal }).WebAssembly;
  // Engines without SIMD (old Safari) reject the module at validation; they get the JavaScript kernels.
  compiled = wasm?.validate(KERNELS_WASM) ? new wasm.Module(KERNELS_WASM) : null;
  return compiled;
}

/** A fresh kernel instance with its own memory. `forceJs` picks the fallback (tests, benchmarks). */
export function createKernels(forceJs = false): Kernels {
  const module = forceJs ? null : wasmModule();
  if (module) {
    const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;
    const exports = new wasm.Instance(module).exports as unknown as Omit<Kernels, 'simd'>;
    return {
      memory: exports.memory,
      simd: true,
      dot: exports.dot,
      dot_range: exports.dot_range,
      dot_gather: exports.dot_gather,
      dot_i8_range: exports.dot_i8_range,
    };
  }
  return createJsKernels();
}

class GrowableMemory implements LinearMemory {
  buffer = new ArrayBuffer(PAGE);
  grow(pages: number): number {
    const old = this.buffer;
    const next = new ArrayBuffer(old.byteLength + pages * PAGE);
    new Uint8Array(next).set(new Uint8Array(old));
    this.buffer = next;
    return old.byteLength / PAGE;
  }
}

/** The same kernels in JavaScript, four accumulators wide, over views refreshed when the memory grows. */
function createJsKernels(): Kernels {
  const memory = new GrowableMemory();
  let f32 = new Float32Array(memory.buffer);
  let i32 = new Int32Array(memory.buffer);
  let i8 = new Int8Array(memory.buffer);
  const views = () => {
    if (f32.buffer !== memory.buffer) {
      f32 = new Float32Array(memory.buffer);
      i32 = new Int32Array(memory.buffer);
      i8 = new Int8Array(memory.buffer);
    }
  };
  const dotF = (a: number, b: number, len: number): number => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < len; i += 4) {
      s0 += f32[a + i]! * f32[b + i]!;
      s1 += f32[a + i + 1]! * f32[b + i + 1]!;
      s2 += f32[a + i + 2]! * f32[b + i + 2]!;
      s3 += f32[a + i + 3]! * f32[b + i + 3]!;
    }
    return s0 + s1 + s2 + s3;
  };
  return {
    memory,
    simd: false,
    dot(a, b, len) {
      views();
      return Math.fround(dotF(a >> 2, b >> 2, len));
    },
    dot_range(q, base, count, len, out) {
      views();
      for (let i = 0; i < count; i++) f32[(out >> 2) + i] = dotF(q >> 2, (base >> 2) + i * len, len);
    },
    dot_gather(q, base, slots, count, len, out) {
      views();
      for (let i = 0; i < count; i++) f32[(out >> 2) + i] = dotF(q >> 2, (base >> 2) + i32[(slots >> 2) + i]! * len, len);
    },
    dot_i8_range(q, base, count, len, out) {
      views();
      for (let i = 0; i < count; i++) {
        const v = base + i * len;
        let s = 0;
        for (let j = 0; j < len; j++) s += i8[q + j]! * i8[v + j]!;
        i32[(out >> 2) + i] = s;
      }
    },
  };
}
