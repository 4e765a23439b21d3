// The next leader read from a Web Locks snapshot: first waiting for the leader lock, known by its page lock's client.

import { describe, expect, it } from 'vitest';
import { placeInQueue } from './lock-queue.js';

const LEADER = 'mnemo-leader:ns';
const lock = (name: string, clientId: string): LockInfo => ({ name, clientId, mode: 'exclusive' });

/** Pages a (leader), b, c, d in queue order, each in its own client; d also holds a lock of its own. */
const snapshot: LockManagerSnapshot = {
  held: [
    lock('mnemo-page:a', 'client-a'),
    lock(LEADER, 'client-a'),
    lock('mnemo-page:b', 'client-b'),
    lock('mnemo-page:c', 'client-c'),
    lock('other', 'client-d'),
    lock('mnemo-page:d', 'client-d'),
  ],
  pending: [
    lock(LEADER, 'client-b'),
    lock('mnemo-leader:other-ns', 'client-c'),
    lock(LEADER, 'client-c'),
    lock(LEADER, 'client-d'),
  ],
};

describe('placeInQueue', () => {
  it('finds the next leader: the first page waiting for the leader lock', () => {
    expect(placeInQueue(snapshot, LEADER, 'b')).toEqual({ next: true });
  });

  it('names the page just ahead of one further back, skipping other locks and namespaces', () => {
    expect(placeInQueue(snapshot, LEADER, 'c')).toEqual({ next: false, ahead: 'b' });
    expect(placeInQueue(snapshot, LEADER, 'd')).toEqual({ next: false, ahead: 'c' });
  });

  it('places no page that is not waiting: the leader, a page that left, an unknown page', () => {
    expect(placeInQueue(snapshot, LEADER, 'a')).toBeUndefined();
    expect(placeInQueue({ ...snapshot, pending: [] }, LEADER, 'b')).toBeUndefined();
    expect(placeInQueue(snapshot, LEADER, 'z')).toBeUndefined();
    expect(placeInQueue({}, LEADER, 'b')).toBeUndefined();
  });

  it('places no page where the snapshot names no clients', () => {
    const anonymous: LockManagerSnapshot = {
      held: snapshot.held?.map(({ name, mode }) => ({ name, mode })),
      pending: snapshot.pending?.map(({ name, mode }) => ({ name, mode })),
    };
    expect(placeInQueue(anonymous, LEADER, 'b')).toBeUndefined();
  });

  it('leaves the page ahead unnamed when its page lock is not in the snapshot', () => {
    const held = snapshot.held?.filter((l) => l.name !== 'mnemo-page:b');
    expect(placeInQueue({ ...snapshot, held }, LEADER, 'c')).toEqual({ next: false, ahead: undefined });
  });
});
