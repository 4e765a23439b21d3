// The order of the turns of each session, so a turn can be indexed with the turns around it.

interface Entry {
  id: string;
  at: number;
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/** Searched from the end, where the newest turns, the ones most often asked about, are. */
function indexOf(list: readonly Entry[], id: string): number {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.id === id) return i;
  return -1;
}

/** Turns of each session ordered by event time, ties by id (ids are issued in arrival order). */
export class SessionTimeline {
  private readonly sessions = new Map<string, Entry[]>();
  private readonly sessionOf = new Map<string, string>();

  /** Places a turn; returns the ids within `radius` of it, whose neighbourhood it changed. */
  add(id: string, session: string, at: number, radius: number): string[] {
    this.remove(id, 0);
    let list = this.sessions.get(session);
    if (!list) this.sessions.set(session, (list = []));
    const entry = { id, at };
    // Turns nearly always arrive in order: look from the end.
    let i = list.length;
    while (i > 0 && before(entry, list[i - 1]!)) i--;
    list.splice(i, 0, entry);
    this.sessionOf.set(id, session);
    return this.around(list, i, radius);
  }

  /** Removes a turn; returns the ids that were within `radius` of it. */
  remove(id: string, radius: number): string[] {
    const session = this.sessionOf.get(id);
    if (session === undefined) return [];
    const list = this.sessions.get(session)!;
    const i = indexOf(list, id);
    const affected = this.around(list, i, radius);
    list.splice(i, 1);
    if (list.length === 0) this.sessions.delete(session);
    this.sessionOf.delete(id);
    return affected;
  }

  /** The turns at distance 1..radius on each side, as [id, distance] pairs: negative before, positive after. */
  neighbours(id: string, radius: number): [string, number][] {
    const session = this.sessionOf.get(id);
    if (session === undefined) return [];
    const list = this.sessions.get(session)!;
    const i = indexOf(list, id);
    const out: [string, number][] = [];
    for (let d = 1; d <= radius; d++) {
      const prev = list[i - d];
      const next = list[i + d];
      if (prev) out.push([prev.id, -d]);
      if (next) out.push([next.id, d]);
    }
    return out;
  }

  /** Ids of a session in order. */
  turns(session: string): string[] {
    return (this.sessions.get(session) ?? []).map((e) => e.id);
  }

  /** Position of a turn in its session, and its session. */
  positionOf(id: string): { session: string; index: number } | undefined {
    const session = this.sessionOf.get(id);
    if (session === undefined) return undefined;
    return { session, index: indexOf(this.sessions.get(session)!, id) };
  }

  clear(): void {
    this.sessions.clear();
    this.sessionOf.clear();
  }

  private around(list: Entry[], i: number, radius: number): string[] {
    const out: string[] = [];
    for (let j = Math.max(0, i - radius); j <= Math.min(list.length - 1, i + radius); j++) if (j !== i) out.push(list[j]!.id);
    return out;
  }
}
