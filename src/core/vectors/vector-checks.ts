// Vector checks at every entry point of an index: the right type and dimensions, finite, not zero; then normalised.

import { MnemoError } from '../errors.js';

export const MAX_DIMS = 4096;

/** A normalised copy of `value`, or a typed error; the caller's array is never kept or changed. */
export function checkVector(value: unknown, dims: number, field = 'vector'): Float32Array {
  if (!(value instanceof Float32Array)) {
    const got =
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'an array'
          : ArrayBuffer.isView(value)
            ? value.constructor.name
            : typeof value;
    throw new MnemoError('INVALID_VECTOR', `${field}: must be a Float32Array, got ${got}`, { details: { field } });
  }
  if (value.length !== dims) {
    throw new MnemoError('INDEX_DIMENSION_MISMATCH', `${field}: ${value.length} dimensions, the index has ${dims}`, {
      details: { field, dims: value.length, expected: dims },
    });
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = value[i]!;
    if (!Number.isFinite(x)) {
      throw new MnemoError('INVALID_VECTOR', `${field}: element ${i} is ${x}`, { details: { field, index: i } });
    }
    norm += x * x;
  }
  // Below this the direction is noise: 1e-30 is far under any real embedding's norm and above float underflow.
  if (!(norm > 1e-30)) throw new MnemoError('INVALID_VECTOR', `${field}: has zero norm`, { details: { field } });
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(dims);
  for (let i = 0; i < dims; i++) out[i] = value[i]! * scale;
  return out;
}

export function checkDims(dims: unknown): number {
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS) {
    throw new MnemoError('INVALID_ARGUMENT', `dims: must be an integer from 1 to ${MAX_DIMS}`, { details: { field: 'dims' } });
  }
  return dims;
}
