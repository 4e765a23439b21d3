// Seeded synthetic datasets (no downloads). Shared by the Node runner (which caches them on disk) and usable anywhere.

export type DatasetName = 'clustered' | 'anisotropic';
export const DATASETS: DatasetName[] = ['clustered', 'anisotropic'];

export interface DatasetSpec {
  name: DatasetName;
  n: number;
  dims: number;
  queries: number;
  seed: number;
  k: number;
}

export interface Dataset {
  spec: DatasetSpec;
  base: Float32Array; // n * dims, row-major, each row L2-normalised
  queries: Float32Array; // queries * dims, held out, same distribution
  gt: Int32Array; // queries * k exact top-k indices by dot product, best first
}

/** Bump when generation changes so cached files are not reused. */
export const GENERATOR_VERSION = 1;

export function datasetKey(s: DatasetSpec): string {
  return `${s.name}-n${s.n}-d${s.dims}-q${s.queries}-k${s.k}-s${s.seed}-v${GENERATOR_VERSION}`;
}

/** sfc32: small, fast, seedable 32-bit PRNG. */
export function rng(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed,
    b = 0x243f6a88 ^ (seed * 31),
    c = 0xb7e15162,
    d = 1;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

export function gaussian(r: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = r();
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u));
    spare = m * Math.sin(2 * Math.PI * v);
    return m * Math.cos(2 * Math.PI * v);
  };
}

function normaliseRow(a: Float32Array, off: number, dims: number): void {
  let s = 0;
  for (let j = 0; j < dims; j++) s += a[off + j] * a[off + j];
  const inv = 1 / Math.sqrt(s || 1);
  for (let j = 0; j < dims; j++) a[off + j] *= inv;
}

/**
 * clustered: Gaussian mixture with CENTRES unit-norm centres, Zipf-like cluster weights, isotropic noise whose norm is
 * about 0.9 of the centre's (so a point's cosine to its centre is about 0.75), like topical clusters of sentence embeddings.
 */
function genClustered(total: number, dims: number, seed: number): Float32Array {
  const CENTRES = 500;
  const r = rng(seed);
  const g = gaussian(r);
  const centres = new Float32Array(CENTRES * dims);
  for (let i = 0; i < centres.length; i++) centres[i] = g();
  for (let c = 0; c < CENTRES; c++) normaliseRow(centres, c * dims, dims);
  // Zipf(0.8) weights -> cumulative distribution
  const cdf = new Float64Array(CENTRES);
  let acc = 0;
  for (let c = 0; c < CENTRES; c++) cdf[c] = acc += 1 / Math.pow(c + 1, 0.8);
  for (let c = 0; c < CENTRES; c++) cdf[c] /= acc;
  const sigma = 0.9 / Math.sqrt(dims);
  const out = new Float32Array(total * dims);
  for (let i = 0; i < total; i++) {
    const u = r();
    let lo = 0,
      hi = CENTRES - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    const co = lo * dims,
      o = i * dims;
    for (let j = 0; j < dims; j++) out[o + j] = centres[co + j] + sigma * g();
    normaliseRow(out, o, dims);
  }
  return out;
}

/**
 * anisotropic: one Gaussian (no clusters) with a power-law spectrum lambda_i ~ i^-0.5 in a random orthonormal basis,
 * plus a shared mean direction (the "cone" of real embedding models). High intrinsic dimension, low neighbour contrast.
 */
function genAnisotropic(total: number, dims: number, seed: number): Float32Array {
  const r = rng(seed);
  const g = gaussian(r);
  // random orthonormal basis by modified Gram-Schmidt
  const Q = new Float64Array(dims * dims);
  for (let i = 0; i < Q.length; i++) Q[i] = g();
  for (let i = 0; i < dims; i++) {
    const oi = i * dims;
    for (let p = 0; p < i; p++) {
      const op = p * dims;
      let dot = 0;
      for (let j = 0; j < dims; j++) dot += Q[oi + j] * Q[op + j];
      for (let j = 0; j < dims; j++) Q[oi + j] -= dot * Q[op + j];
    }
    let s = 0;
    for (let j = 0; j < dims; j++) s += Q[oi + j] * Q[oi + j];
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dims; j++) Q[oi + j] *= inv;
  }
  const scale = new Float64Array(dims);
  for (let i = 0; i < dims; i++) scale[i] = Math.pow(i + 1, -0.25); // std = sqrt(lambda), lambda ~ i^-0.5
  // mean direction: Q row 0 gets an offset so that all points share a common component (cosine ~0.3 to the mean)
  const meanOffset = 0.6;
  const out = new Float32Array(total * dims);
  const z = new Float64Array(dims);
  const row = new Float64Array(dims);
  for (let i = 0; i < total; i++) {
    for (let p = 0; p < dims; p++) z[p] = scale[p] * g();
    z[0] += meanOffset * Math.sqrt(dims) * scale[dims - 1];
    row.fill(0);
    for (let p = 0; p < dims; p++) {
      const zp = z[p],
        op = p * dims;
      for (let j = 0; j < dims; j++) row[j] += zp * Q[op + j];
    }
    const o = i * dims;
    for (let j = 0; j < dims; j++) out[o + j] = row[j];
    normaliseRow(out, o, dims);
  }
  return out;
}

export function generate(spec: DatasetSpec): { base: Float32Array; queries: Float32Array } {
  const total = spec.n + spec.queries;
  const all = spec.name === 'clustered' ? genClustered(total, spec.dims, spec.seed) : genAnisotropic(total, spec.dims, spec.seed);
  // Same generator, same distribution: the first n rows are the base, the rest are held-out queries.
  return { base: all.slice(0, spec.n * spec.dims), queries: all.slice(spec.n * spec.dims) };
}

/** Exact top-k by dot product (vectors are normalised, so this is cosine). */
export function exactTopK(
  base: Float32Array,
  queries: Float32Array,
  dims: number,
  k: number,
  onProgress?: (done: number) => void,
): Int32Array {
  const n = base.length / dims;
  const nq = queries.length / dims;
  const gt = new Int32Array(nq * k);
  const bestS = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let q = 0; q < nq; q++) {
    bestS.fill(-Infinity);
    bestI.fill(-1);
    const qo = q * dims;
    for (let i = 0; i < n; i++) {
      const bo = i * dims;
      let s = 0;
      for (let j = 0; j < dims; j++) s += queries[qo + j] * base[bo + j];
      if (s > bestS[k - 1]) {
        let p = k - 1;
        while (p > 0 && bestS[p - 1] < s) {
          bestS[p] = bestS[p - 1];
          bestI[p] = bestI[p - 1];
          p--;
        }
        bestS[p] = s;
        bestI[p] = i;
      }
    }
    gt.set(bestI, q * k);
    if (onProgress && q % 100 === 99) onProgress(q + 1);
  }
  return gt;
}
