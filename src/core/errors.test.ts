import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MnemoError, toMnemoError } from './errors.js';

describe('MnemoError', () => {
  it('survives a structured clone as plain data and is rebuilt with everything intact', () => {
    const original = new MnemoError('TEXT_TOO_LONG', 'too long', {
      details: { field: 'text', limit: 3 },
      cause: new RangeError('inner'),
    });
    const rebuilt = MnemoError.fromJSON(structuredClone(original.toJSON()));
    expect(rebuilt).toBeInstanceOf(MnemoError);
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt).toMatchObject({
      name: 'MnemoError',
      code: 'TEXT_TOO_LONG',
      message: 'too long',
      details: { field: 'text', limit: 3 },
      retryable: false,
    });
    expect((rebuilt.cause as Error).message).toBe('inner');
    expect((rebuilt.cause as Error).name).toBe('RangeError');
  });

  it('takes its default retryability from the code table', () => {
    expect(new MnemoError('STORE_BLOCKED', 'x').retryable).toBe(true);
    expect(new MnemoError('INVALID_ARGUMENT', 'x').retryable).toBe(false);
    expect(new MnemoError('STORE_FAILURE', 'x', { retryable: false }).retryable).toBe(false);
  });

  it('turns an unknown code from another version into PROTOCOL_ERROR, keeping the original', () => {
    const rebuilt = MnemoError.fromJSON({
      name: 'MnemoError',
      code: 'FROM_THE_FUTURE' as never,
      message: 'm',
      details: {},
      retryable: true,
    });
    expect(rebuilt.code).toBe('PROTOCOL_ERROR');
    expect(rebuilt.details['originalCode']).toBe('FROM_THE_FUTURE');
  });

  it('wraps foreign throws as INTERNAL and passes its own through', () => {
    const own = new MnemoError('CLOSED', 'closed');
    expect(toMnemoError(own)).toBe(own);
    const wrapped = toMnemoError(new TypeError('boom'));
    expect(wrapped).toMatchObject({ code: 'INTERNAL', message: 'TypeError: boom' });
    expect(toMnemoError('a string', 'STORE_FAILURE').code).toBe('STORE_FAILURE');
  });

  it('has a summary for every code', () => {
    for (const entry of Object.values(ERROR_CODES)) expect(entry.summary.length).toBeGreaterThan(10);
  });
});
