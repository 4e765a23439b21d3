// A RecordStore that fails on purpose: the N-th call (every method that reads or writes counts), once or
// from then on, with the error IndexedDB would give after translation. For the fail-at-every-step tests.

import { MnemoError, type ErrorCode } from '../core/errors.js';
import type { RecordStore } from '../core/ports.js';

export type Fault = 'quota' | 'unknown' | 'abort';

const ERRORS: Record<Fault, { code: ErrorCode; platform: string }> = {
  quota: { code: 'STORE_QUOTA_EXCEEDED', platform: 'QuotaExceededError' },
  unknown: { code: 'STORE_FAILURE', platform: 'UnknownError' },
  abort: { code: 'STORE_FAILURE', platform: 'AbortError' },
};

const COUNTED = [
  'put',
  'get',
  'getMany',
  'delete',
  'readVectorChunks',
  'readVectorLog',
  'readIndexSnapshot',
  'compactVectors',
  'list',
  'scan',
  'count',
] as const;

export interface FaultPlan {
  /** 1-based: the call that fails. */
  at: number;
  persistent: boolean;
  fault: Fault;
}

/** Wraps `store`; `calls` counts every counted call made so far, so a dry run measures a mutation. */
export function faultyStore(store: RecordStore, plan?: FaultPlan): RecordStore & { calls: number; plan: FaultPlan | undefined } {
  const wrapper = Object.create(store) as RecordStore & { calls: number; plan: FaultPlan | undefined };
  wrapper.calls = 0;
  wrapper.plan = plan;
  for (const method of COUNTED) {
    const original = (store[method] as (...args: unknown[]) => unknown).bind(store);
    (wrapper as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const n = ++wrapper.calls;
      const p = wrapper.plan;
      if (p && (n === p.at || (p.persistent && n > p.at))) {
        const { code, platform } = ERRORS[p.fault];
        const error = new MnemoError(code, `Injected ${platform} at store call ${n} (${method})`, {
          details: { platformError: platform },
        });
        // Async iterables fail when iterated; everything else rejects.
        if (method === 'readVectorChunks' || method === 'scan') {
          return {
            [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
          };
        }
        return Promise.reject(error);
      }
      return original(...args);
    };
  }
  return wrapper;
}
