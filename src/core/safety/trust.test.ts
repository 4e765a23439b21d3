import { describe, expect, it } from 'vitest';
import { deriveTrust, minTrust, trustOf } from './trust.js';

describe('trust', () => {
  it('never rises above the source kind or any source', () => {
    expect(deriveTrust('web', 'high')).toBe('low');
    expect(deriveTrust('llm', undefined)).toBe('low');
    expect(deriveTrust('user', undefined)).toBe('high');
    expect(deriveTrust('user', 'low')).toBe('low');
    expect(deriveTrust('extractor', 'high', ['high', 'low'])).toBe('low');
    expect(deriveTrust('app', undefined, [undefined])).toBe('high');
    expect(minTrust()).toBe('high');
  });

  it('reads a stored value no higher than its kind allows, and a missing one as the kind default', () => {
    expect(trustOf({ source: { kind: 'web' }, trust: 'high' })).toBe('low');
    expect(trustOf({ source: { kind: 'user' } })).toBe('high');
    expect(trustOf({ source: { kind: 'tool' } })).toBe('low');
    expect(trustOf({ source: { kind: 'user' }, trust: 'low' })).toBe('low');
  });
});
