// Where a page stands in the queue for the leader lock, read from a Web Locks snapshot (`navigator.locks.query()`):
// the browser grants the lock in the order it was asked for, so the first page waiting is the next leader.

import { pageLockName, type PageId } from './tab-protocol.js';

const PAGE_LOCK = pageLockName('');

/** A page waiting for the leader lock: whether it is next, else the page just ahead of it (by its id). */
export type QueuePlace = { next: true } | { next: false; ahead: PageId | undefined };

/**
 * The place of `page` in the queue for `leaderLock`, or undefined when it is not waiting (it leads, or has left).
 * A snapshot names clients, not pages: a page is known by the client holding its life lock (`pageLockName`), a
 * lock name no other page holds. Two memories of one namespace in one document share a client: both count as next.
 */
export function placeInQueue(snapshot: LockManagerSnapshot, leaderLock: string, page: PageId): QueuePlace | undefined {
  const own = pageLockName(page);
  const client = snapshot.held?.find((lock) => lock.name === own)?.clientId;
  if (client === undefined) return undefined;
  const waiting = (snapshot.pending ?? []).filter((lock) => lock.name === leaderLock);
  const index = waiting.findIndex((lock) => lock.clientId === client);
  if (index < 0) return undefined;
  if (index === 0) return { next: true };
  const aheadClient = waiting[index - 1]?.clientId;
  const ahead = snapshot.held?.find(
    (lock) => lock.clientId === aheadClient && lock.name?.startsWith(PAGE_LOCK) && lock.name !== own,
  )?.name;
  return { next: false, ahead: ahead?.slice(PAGE_LOCK.length) };
}

/** This page's place now; undefined where the browser's snapshot does not name clients or the query fails. */
export async function queryPlace(leaderLock: string, page: PageId): Promise<QueuePlace | undefined> {
  try {
    return placeInQueue(await navigator.locks.query(), leaderLock, page);
  } catch {
    return undefined;
  }
}
