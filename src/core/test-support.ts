// Deterministic clock and ids, and error assertions, for tests of the core.

import { MnemoError, type ErrorCode } from './errors.js';
import type { Clock, IdGenerator } from './ports.js';

export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export function sequentialIds(prefix = 'id'): IdGenerator {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(6, '0')}`;
}

/** The MnemoError a promise rejects with; fails (throws) if it resolves or rejects with anything else. */
export async function errorOf(promise: Promise<unknown>): Promise<MnemoError> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if ('error' in outcome && outcome.error instanceof MnemoError) return outcome.error;
  throw new Error(`Expected a MnemoError, got ${'error' in outcome ? String(outcome.error) : 'a resolved promise'}`);
}

/** The code of the MnemoError a promise rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<ErrorCode> {
  return (await errorOf(promise)).code;
}
