import { describe, expect, it } from 'vitest';
import type { MnemoError } from '../errors.js';
import { checkEmbeddingOptions } from './embedding-options.js';

function codeOfThrow(value: unknown): string {
  try {
    checkEmbeddingOptions(value);
  } catch (error) {
    return (error as MnemoError).code;
  }
  return 'accepted';
}

describe('checkEmbeddingOptions', () => {
  it('accepts a known model, defaulting the device to auto', () => {
    expect(checkEmbeddingOptions({ model: 'Xenova/all-MiniLM-L6-v2' })).toEqual({
      model: 'Xenova/all-MiniLM-L6-v2',
      device: 'auto',
    });
    expect(checkEmbeddingOptions({ model: 'mnemo-tiny-bert-v1', device: 'webgpu', localModelPath: '/models/' })).toEqual({
      model: 'mnemo-tiny-bert-v1',
      device: 'webgpu',
      localModelPath: '/models/',
    });
  });

  it.each([
    [{ model: 'no-such-model' }, 'INVALID_ARGUMENT'],
    [{ model: 'mnemo-tiny-bert-v1', device: 'gpu' }, 'INVALID_ARGUMENT'],
    [{ model: 'mnemo-tiny-bert-v1', localModelPath: 'http://localhost/models/' }, 'INVALID_ARGUMENT'],
    [{ model: 'mnemo-tiny-bert-v1', dtype: 'q8' }, 'UNKNOWN_OPTION'],
    [{}, 'INVALID_ARGUMENT'],
    ['mnemo-tiny-bert-v1', 'INVALID_ARGUMENT'],
  ])('refuses %j with %s', (value, code) => {
    expect(codeOfThrow(value)).toBe(code);
  });
});
