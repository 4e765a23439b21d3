// The memory host as one page sees it when the tabs of an origin share one: this page's own worker while it leads
// (Web Locks decide), else the leader tab over a BroadcastChannel. The same facade as a worker's, so RemoteMemory
// works unchanged; calls in flight on a lost leader are sent again (reads) or fail with LEADER_LOST (writes).

import { releaseProxy } from 'comlink';
import type { ConsolidateOptions, ConsolidationReport, MemoryMethod, ModelLoadProgress } from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import type {
  CallId,
  HostFacade,
  MemoryFacade,
  MethodArgs,
  MethodResult,
  OpenRequest,
  OpenedInfo,
  Result,
} from '../protocol/protocol.js';
import { PROTOCOL_VERSION, toResult } from '../protocol/protocol.js';
import { stand, whenReleased, type Candidacy } from './leader-election.js';
import { queryPlace } from './lock-queue.js';
import type { RemoteFacade } from './memory-client.js';
import { TabRelay, type ServedCall } from './tab-relay.js';
import { channelName, isRead, isTabMessage, leaderLockName, pageLockName, type PageId, type TabMessage } from './tab-protocol.js';

/** What a page sees of the coordination, for diagnostics and tests; `at` is `Date.now()`. */
export type CoordinationEvent =
  /** This page took the lock at `lockedAt` and, its worker started and the memory open, serves from `at`. */
  | { type: 'leader'; page: PageId; at: number; lockedAt: number }
  | { type: 'follower'; page: PageId; leader: PageId; at: number }
  /** The leader answered a call (its own or another page's), in the order its host applied them. */
  | ({ type: 'served'; page: PageId; at: number } & ServedCall)
  | { type: 'resigned'; page: PageId; at: number }
  /**
   * This follower, first in line for the lead, loaded its embedding model in its standby worker (`ok`), so that a
   * takeover need not wait for it; or the load failed, and a takeover loads the model as it would without.
   */
  | { type: 'prepared'; page: PageId; at: number; ok: boolean };

/** This page's own host, started when it becomes the leader. */
export interface OwnHost {
  /** With `prepare`, which only this page calls, on its standby host. */
  facade: RemoteFacade & Pick<HostFacade, 'prepare'>;
  /** Rejects if the host fails to start (a script error): the page then gives the lead up. */
  failed: Promise<never>;
  /** Another connection to the same host: the leader checks a joining page's open request on it. */
  connect(): RemoteFacade;
  dispose(): void;
}

export interface TabFacadeOptions {
  namespace: string;
  startHost(): OwnHost;
  onCoordination?: ((event: CoordinationEvent) => void) | undefined;
  /** Whether the follower next in line loads the embedding model ahead of a takeover (default true). */
  prepareNext?: boolean;
}

interface Pending {
  id: CallId;
  method: MemoryMethod;
  args: unknown[];
  consolidate?: {
    llm: ((prompt: string) => Promise<string>) | undefined;
    onProgress: ((report: ConsolidationReport) => unknown) | undefined;
  };
  /** The page it was sent to, if sent. */
  sentTo: PageId | undefined;
  settle(result: Result<unknown>): void;
  done: Promise<Result<unknown>>;
  /** The caller aborted it after it was sent: it is not sent again. */
  aborted?: boolean;
  /** This page's createMemory: to another page's leader it is a `join` (its passphrase checked), else `stats`. */
  join?: boolean;
}

export class TabFacade implements MemoryFacade {
  readonly page: PageId = crypto.randomUUID();
  private readonly channel: BroadcastChannel;
  private readonly pending = new Map<CallId, Pending>();
  private candidacy: Candidacy | undefined;
  private lifeLock: Candidacy | undefined;
  private leader: PageId | undefined;
  /** When the newest leader this page knows of took the lock. */
  private epoch = 0;
  private host: OwnHost | undefined;
  /** A follower's worker, started but not opened: a takeover then skips loading the worker's code. */
  private standby: OwnHost | undefined;
  /** The standby asked to load the embedding model: done once, by the follower first in line for the lead. */
  private prepared: OwnHost | undefined;
  /** Stops watching the page just ahead of this one in the queue for the lead. */
  private unwatch: (() => void) | undefined;
  private queueChecks = 0;
  private relay: TabRelay | undefined;
  private request: OpenRequest | undefined;
  private onModelProgress: ((progress: ModelLoadProgress) => unknown) | undefined;
  private firstLeader: ((error?: MnemoError) => void) | undefined;
  /** Why this page could not take over from a lost leader, while no other page leads: calls fail with it. */
  private failure: Result<unknown> | undefined;
  private closed = false;

  constructor(private readonly options: TabFacadeOptions) {
    this.channel = new BroadcastChannel(channelName(options.namespace));
    this.channel.onmessage = (event: MessageEvent<unknown>) => {
      if (isTabMessage(event.data)) this.receive(event.data);
    };
  }

  open(request: OpenRequest, onModelProgress?: (progress: ModelLoadProgress) => unknown): Promise<Result<OpenedInfo>> {
    return toResult(async () => {
      if (this.request) throw new MnemoError('PROTOCOL_ERROR', 'This connection already opened a memory.');
      this.request = request;
      this.onModelProgress = onModelProgress;
      const ready = new Promise<MnemoError | undefined>((resolve) => (this.firstLeader = resolve));
      this.lifeLock = stand(pageLockName(this.page));
      await this.lifeLock.elected;
      this.candidacy = stand(leaderLockName(this.options.namespace));
      void this.candidacy.elected.then(() => this.lead());
      this.post({ t: 'hello', from: this.page });
      const failure = await ready;
      if (failure) throw failure;
      // The leader's host checks this page's passphrase (as for a second connection) before the memory is handed out.
      const joined = await this.enqueue(0, 'stats', [], undefined, true);
      if (!joined.ok) throw MnemoError.fromJSON(joined.error);
      return { namespace: this.options.namespace, records: (joined.value as OpenedInfo).records };
    });
  }

  call<M extends MemoryMethod>(id: CallId, method: M, args: MethodArgs<M>): Promise<Result<MethodResult<M>>> {
    return this.enqueue(id, method, args) as Promise<Result<MethodResult<M>>>;
  }

  consolidateWith(
    id: CallId,
    options: ConsolidateOptions | undefined,
    llm: ((prompt: string) => Promise<string>) | undefined,
    onProgress: ((report: ConsolidationReport) => unknown) | undefined,
  ): Promise<Result<ConsolidationReport>> {
    return this.enqueue(id, 'consolidate', [options], { llm, onProgress }) as Promise<Result<ConsolidationReport>>;
  }

  abort(id: CallId): void {
    const call = this.pending.get(id);
    if (!call) return;
    if (call.sentTo === undefined) return this.finish(call, aborted());
    call.aborted = true;
    if (call.sentTo === this.page) void this.host?.facade.abort(id);
    else this.post({ t: 'abort', from: this.page, to: call.sentTo, seq: id });
  }

  /** A leader finishes what it serves, then hands the lock on; the next page opens the same database. */
  close(): Promise<Result<void>> {
    return toResult(async () => {
      if (this.closed) return;
      this.closed = true;
      for (const call of this.pending.values())
        if (call.sentTo === undefined) this.finish(call, { ok: false, error: closedError().toJSON() });
      // From now on a leader refuses new calls of other pages (they go to the next leader) and finishes the rest;
      // what this page sent is answered first (by the leader, or LEADER_LOST when a new one takes over).
      const draining = this.relay?.drain();
      await Promise.allSettled([...this.pending.values()].map((call) => call.done));
      if (this.host) {
        await draining;
        await this.host.facade.close();
        this.host.dispose();
        this.host = undefined;
        this.leader = undefined;
        this.emit({ type: 'resigned', page: this.page, at: Date.now() });
        // Posted after every answer: a call still unanswered when it arrives was never applied.
        this.post({ t: 'resigned', from: this.page });
      }
      this.candidacy?.resign();
      this.unwatch?.();
      this.standby?.dispose();
      this.lifeLock?.resign();
      this.channel.close();
    });
  }

  [releaseProxy](): void {}

  private enqueue(
    id: CallId,
    method: MemoryMethod,
    args: unknown[],
    consolidate?: Pending['consolidate'],
    join?: boolean,
  ): Promise<Result<unknown>> {
    if (this.closed) return toResult(() => Promise.reject(closedError()));
    if (!this.leader && this.failure) return Promise.resolve(this.failure);
    let settle!: (result: Result<unknown>) => void;
    const done = new Promise<Result<unknown>>((resolve) => (settle = resolve));
    const call: Pending = {
      id,
      method,
      args,
      sentTo: undefined,
      settle,
      done,
      ...(consolidate && { consolidate }),
      ...(join && { join }),
    };
    this.pending.set(id, call);
    if (this.leader) this.send(call);
    return done;
  }

  private send(call: Pending): void {
    const leader = this.leader;
    if (leader === undefined) return;
    call.sentTo = leader;
    if (leader !== this.page && call.join) {
      this.post({ t: 'join', from: this.page, to: leader, seq: call.id, request: this.request as OpenRequest });
      return;
    }
    if (leader !== this.page) {
      const callbacks = call.consolidate && { llm: !!call.consolidate.llm, progress: !!call.consolidate.onProgress };
      this.post({
        t: 'call',
        from: this.page,
        to: leader,
        seq: call.id,
        protocol: PROTOCOL_VERSION,
        method: call.method,
        args: call.args,
        ...(callbacks && { callbacks }),
      });
      return;
    }
    const facade = (this.host as OwnHost).facade;
    const running = call.consolidate
      ? facade.consolidateWith(
          call.id,
          call.args[0] as ConsolidateOptions | undefined,
          call.consolidate.llm,
          call.consolidate.onProgress,
        )
      : facade.call(call.id, call.method, call.args as never);
    void running.then((result: Result<unknown>) => {
      this.served({ from: this.page, seq: call.id, method: call.method, args: call.args, ok: result.ok });
      this.finish(call, result);
    });
  }

  private finish(call: Pending, result: Result<unknown>): void {
    if (this.pending.get(call.id) !== call) return;
    this.pending.delete(call.id);
    call.settle(result);
  }

  private receive(message: TabMessage): void {
    // A closing leader still hears the answers its draining calls wait for (a language model's, say).
    if (this.closed && this.pending.size === 0 && !this.host) return;
    if (message.t === 'hello') {
      if (this.host && this.leader === this.page) this.post({ t: 'leader', from: this.page, epoch: this.epoch });
    } else if (message.t === 'leader') {
      this.follow(message.from, message.epoch);
    } else if (message.t === 'resigned') {
      this.resigned(message.from);
    } else if ('to' in message && message.to === this.page) {
      if (message.t === 'result') this.answered(message.from, message.seq, message.result);
      else if (message.t === 'refused') this.refused(message.from, message.seq);
      else if (message.t === 'callback') void this.callback(message);
      else this.relay?.handle(message);
    }
  }

  private follow(page: PageId, epoch: number): void {
    if (this.host || page === this.leader) return;
    // A dead leader's late announcement must not win over its successor's.
    if (epoch < this.epoch) return;
    this.leader = page;
    this.epoch = epoch;
    this.failure = undefined;
    this.emit({ type: 'follower', page: this.page, leader: page, at: Date.now() });
    this.standby ??= this.options.startHost();
    this.firstLeader?.();
    this.reroute();
    void this.prepareIfNext();
  }

  /**
   * A follower first in the queue for the lead (the next leader) loads its embedding model in its standby worker,
   * so that a takeover does not wait for it; the others watch the page just ahead of them and look again when it
   * leaves, as they do when the leader changes. One follower loads a model, not every tab. The standby opens no
   * namespace for it: the store is read and written by the leader alone, as before.
   */
  private async prepareIfNext(): Promise<void> {
    const embedding = this.request?.embedding;
    if (!embedding || this.options.prepareNext === false || this.closed || this.host || !this.candidacy) return;
    const check = ++this.queueChecks;
    const place = await queryPlace(leaderLockName(this.options.namespace), this.page);
    if (check !== this.queueChecks || this.closed || this.host) return;
    this.unwatch?.();
    this.unwatch = undefined;
    if (!place) return;
    if (!place.next) {
      if (place.ahead !== undefined) this.unwatch = whenReleased(pageLockName(place.ahead), () => void this.prepareIfNext());
      return;
    }
    const standby = this.standby;
    if (!standby || this.prepared === standby) return;
    this.prepared = standby;
    // Whatever becomes of it, the open of a takeover loads the model itself if this did not (compose-runtime.ts).
    const result = await standby.facade.prepare(embedding).catch(() => ({ ok: false }));
    if (this.standby === standby) this.emit({ type: 'prepared', page: this.page, at: Date.now(), ok: result.ok });
  }

  private async lead(): Promise<void> {
    if (this.closed || !this.request) {
      // Closing while a leader went away: nobody here will serve what this page still waits for.
      for (const call of [...this.pending.values()])
        this.finish(call, isRead(call.method) ? { ok: false, error: closedError().toJSON() } : leaderLost(call));
      return this.candidacy?.resign();
    }
    const lockedAt = Date.now();
    const epoch = Math.max(lockedAt, this.epoch + 1);
    const host = this.standby ?? this.options.startHost();
    this.standby = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
    const opened = await Promise.race([host.facade.open(this.request, this.onModelProgress), host.failed]).catch(
      (error: unknown) => ({ ok: false as const, error: asError(error).toJSON() }),
    );
    if (!opened.ok || this.closed) {
      host.dispose();
      this.candidacy?.resign();
      // The first page of all cannot open a host: its createMemory fails. A page taking over lets the next one
      // try; until one leads, its calls fail with the reason (LOCKED, WRONG_PASSPHRASE) instead of waiting.
      if (!opened.ok) {
        this.firstLeader?.(MnemoError.fromJSON(opened.error));
        this.failedTakeover({ ok: false, error: opened.error });
      }
      return;
    }
    this.host = host;
    this.leader = this.page;
    this.epoch = epoch;
    this.relay = new TabRelay(
      this.page,
      host.facade,
      (message) => this.post(message),
      (served) => this.served(served),
      () => host.connect(),
      this.options.namespace,
    );
    this.emit({ type: 'leader', page: this.page, at: Date.now(), lockedAt });
    this.post({ t: 'leader', from: this.page, epoch });
    this.firstLeader?.();
    this.reroute();
  }

  private failedTakeover(failure: Result<unknown>): void {
    this.failure = failure;
    this.leader = undefined;
    for (const call of [...this.pending.values()]) {
      this.finish(call, call.sentTo !== undefined && !isRead(call.method) && !call.join ? leaderLost(call) : failure);
    }
  }

  /** The leader changed: unsent calls and reads go to the new one; writes sent to the lost one may have applied. */
  private reroute(): void {
    for (const call of [...this.pending.values()]) {
      if (call.sentTo === this.leader) continue;
      if (call.aborted && (call.sentTo === undefined || isRead(call.method))) this.finish(call, aborted());
      else if (call.sentTo === undefined || isRead(call.method)) this.send(call);
      else this.finish(call, leaderLost(call));
    }
  }

  /** A leader closed cleanly after answering all it took: what it left unanswered was never applied. */
  private resigned(from: PageId): void {
    if (this.leader === from) this.leader = undefined;
    for (const call of this.pending.values()) if (call.sentTo === from) call.sentTo = undefined;
  }

  private answered(from: PageId, seq: number, result: Result<unknown>): void {
    const call = this.pending.get(seq);
    if (call?.sentTo === from) this.finish(call, result);
  }

  /** The leader was closing and did not apply the call: it goes to the next leader. */
  private refused(from: PageId, seq: number): void {
    const call = this.pending.get(seq);
    if (call?.sentTo !== from) return;
    call.sentTo = undefined;
    if (call.aborted) this.finish(call, aborted());
    else if (this.leader !== from) this.send(call);
  }

  private async callback(message: Extract<TabMessage, { t: 'callback' }>): Promise<void> {
    const call = this.pending.get(message.seq);
    if (call?.sentTo !== message.from || !call.consolidate) return;
    if (message.kind === 'progress') {
      void Promise.resolve(call.consolidate.onProgress?.(message.value as ConsolidationReport)).catch(() => undefined);
      return;
    }
    const llm = call.consolidate.llm;
    const result = await toResult(async () => {
      if (!llm) throw new MnemoError('PROTOCOL_ERROR', 'No language model was given to this consolidation.');
      return llm(String(message.value));
    });
    this.post({ t: 'callback-result', from: this.page, to: message.from, cb: message.cb, result });
  }

  private served(call: ServedCall): void {
    this.emit({ type: 'served', page: this.page, at: Date.now(), ...call });
  }

  private emit(event: CoordinationEvent): void {
    try {
      this.options.onCoordination?.(event);
    } catch {
      // A listener's bug must not stop the memory.
    }
  }

  private post(message: TabMessage): void {
    this.channel.postMessage(message);
  }
}

function leaderLost(call: Pending): Result<unknown> {
  const error = new MnemoError(
    'LEADER_LOST',
    `The tab serving this memory went away before answering ${call.method}; it took effect once or not at all.`,
    { details: { method: call.method, outcome: 'unknown' } },
  );
  return { ok: false, error: error.toJSON() };
}

function aborted(): Result<unknown> {
  return { ok: false, error: new MnemoError('ABORTED', 'The call was aborted before any tab took it.').toJSON() };
}

function closedError(): MnemoError {
  return new MnemoError('CLOSED', 'The memory was closed.');
}

function asError(error: unknown): MnemoError {
  return error instanceof MnemoError
    ? error
    : new MnemoError('WORKER_FAILURE', `The memory worker failed to start: ${String(error)}`);
}
