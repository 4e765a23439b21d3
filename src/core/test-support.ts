// Deterministic clock and ids for tests of the core.

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
