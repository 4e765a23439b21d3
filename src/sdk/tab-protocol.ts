// The messages the tabs of one origin exchange over a BroadcastChannel so that one tab (the leader) serves them all.

import type { MemoryMethod } from '../core/api.js';
import type { OpenRequest, Result } from '../protocol/protocol.js';

/** A page of the origin taking part, by the random id it picked when it opened the memory. */
export type PageId = string;

export type TabMessage =
  /** A page that just joined asks who leads. */
  | { t: 'hello'; from: PageId }
  /** The leader, ready to serve; `epoch` (when it took the lock) orders leaders, so a late message of a dead one loses. */
  | { t: 'leader'; from: PageId; epoch: number }
  /** The leader closed after answering every call it took: any other call sent to it was never applied. */
  | { t: 'resigned'; from: PageId }
  | {
      t: 'call';
      from: PageId;
      to: PageId;
      seq: number;
      protocol: number;
      method: MemoryMethod;
      args: unknown[];
      /** A consolidation whose language model and progress listener live in the calling page. */
      callbacks?: { llm: boolean; progress: boolean };
    }
  /**
   * A page's createMemory asks the leader to check its open request (the passphrase) on a second connection to
   * the leader's host, as any second connection to an open memory is; answered with a `result`.
   */
  | { t: 'join'; from: PageId; to: PageId; seq: number; request: OpenRequest }
  | { t: 'abort'; from: PageId; to: PageId; seq: number }
  | { t: 'result'; from: PageId; to: PageId; seq: number; result: Result<unknown> }
  /** The leader did not apply the call (it is closing): the caller sends it to the next leader. */
  | { t: 'refused'; from: PageId; to: PageId; seq: number }
  | { t: 'callback'; from: PageId; to: PageId; seq: number; cb: number; kind: 'llm' | 'progress'; value: unknown }
  | { t: 'callback-result'; from: PageId; to: PageId; cb: number; result: Result<string> };

/** Same-origin pages only can post here, but another version of Mnemo may: anything unexpected is ignored. */
export function isTabMessage(data: unknown): data is TabMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as { t?: unknown; from?: unknown };
  return typeof message.t === 'string' && typeof message.from === 'string';
}

/**
 * Calls without effects on stored data: on a lost leader they are sent again to the next one. (`recall` and
 * `context` may reinforce their hits, a ranking hint, a second time.) Every other call is a write.
 */
const READS: ReadonlySet<string> = new Set<MemoryMethod>([
  'recall',
  'get',
  'list',
  'stats',
  'recent',
  'workingList',
  'workingGet',
  'factList',
  'factHistory',
  'instructionList',
  'context',
  'tools',
  'exportJsonl',
]);

export function isRead(method: string): boolean {
  return READS.has(method);
}

export function channelName(namespace: string): string {
  return `mnemo-tabs:${namespace}`;
}

export function leaderLockName(namespace: string): string {
  return `mnemo-leader:${namespace}`;
}

/** Held by each page for as long as it takes part, so the leader learns when a page it calls back has gone. */
export function pageLockName(page: PageId): string {
  return `mnemo-page:${page}`;
}
