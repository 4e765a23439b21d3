// The leader's side of the tab channel: applies the calls of the other pages to this page's own host, once each.

import { proxy, releaseProxy } from 'comlink';
import type { ConsolidateOptions, ConsolidationReport, MemoryMethod } from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import {
  PROTOCOL_VERSION,
  toResult,
  unwrapResult,
  type OpenRequest,
  type OpenedInfo,
  type Result,
} from '../protocol/protocol.js';
import { whenReleased } from './leader-election.js';
import type { RemoteFacade } from './memory-client.js';
import { pageLockName, type PageId, type TabMessage } from './tab-protocol.js';

/** What the leader served, in the order the host answered: with the engine's write queue, the order applied. */
export interface ServedCall {
  from: PageId;
  seq: number;
  method: MemoryMethod;
  args: unknown[];
  ok: boolean;
}

type CallMessage = Extract<TabMessage, { t: 'call' }>;

export class TabRelay {
  // Relayed calls take negative ids on the host connection: this page's own calls keep the positive ones.
  private nextId = -1;
  private nextCallback = 1;
  private closing = false;
  private readonly inFlight = new Map<string, { id: number; done: Promise<void> }>();
  private readonly callbacks = new Map<number, { from: PageId; settle: (result: Result<string>) => void }>();

  constructor(
    private readonly page: PageId,
    private readonly host: RemoteFacade,
    private readonly post: (message: TabMessage) => void,
    private readonly served: (call: ServedCall) => void,
    /** A new connection to the same host, to check a joining page's open request. */
    private readonly connect: () => RemoteFacade,
    private readonly namespace: string,
  ) {}

  handle(message: TabMessage): void {
    if (!('to' in message) || message.to !== this.page) return;
    if (message.t === 'call') this.serve(message);
    else if (message.t === 'join') this.join(message);
    else if (message.t === 'abort') void this.host.abort(this.inFlight.get(key(message.from, message.seq))?.id ?? 0);
    else if (message.t === 'callback-result') {
      const callback = this.callbacks.get(message.cb);
      if (callback?.from === message.from) callback.settle(message.result);
    }
  }

  /** Stops taking calls (later ones are refused, to be sent to the next leader) and waits for those running. */
  async drain(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight.values()].map((call) => call.done));
  }

  private serve(message: CallMessage): void {
    const { from, seq } = message;
    if (this.closing) return this.post({ t: 'refused', from: this.page, to: from, seq });
    if (this.inFlight.has(key(from, seq))) return;
    const id = this.nextId--;
    const done = this.run(id, message).then((result) => {
      this.inFlight.delete(key(from, seq));
      this.served({ from, seq, method: message.method, args: message.args, ok: result.ok });
      this.post({ t: 'result', from: this.page, to: from, seq, result });
    });
    this.inFlight.set(key(from, seq), { id, done });
  }

  private join(message: Extract<TabMessage, { t: 'join' }>): void {
    const { from, seq } = message;
    if (this.closing) return this.post({ t: 'refused', from: this.page, to: from, seq });
    if (this.inFlight.has(key(from, seq))) return;
    const done = this.admit(message.request).then((result) => {
      this.inFlight.delete(key(from, seq));
      this.post({ t: 'result', from: this.page, to: from, seq, result });
    });
    this.inFlight.set(key(from, seq), { id: 0, done });
  }

  /**
   * Opens the page's request on a second connection and closes it again: the host then checks its passphrase
   * against the open memory's key (WRONG_PASSPHRASE, LOCKED) exactly as for a second connection in one host.
   */
  private async admit(request: OpenRequest): Promise<Result<OpenedInfo>> {
    if (typeof request !== 'object' || request === null || request.namespace !== this.namespace) {
      return toResult(() => {
        throw new MnemoError('PROTOCOL_ERROR', 'A tab asked to join another namespace.');
      });
    }
    const connection = this.connect();
    try {
      const opened = await connection.open(request);
      if (opened.ok) await connection.close();
      return opened;
    } catch (error) {
      return toResult(() => {
        throw error;
      });
    } finally {
      connection[releaseProxy]();
    }
  }

  private async run(id: number, message: CallMessage): Promise<Result<unknown>> {
    if (message.protocol !== PROTOCOL_VERSION) {
      return toResult(() => {
        throw new MnemoError(
          'PROTOCOL_ERROR',
          `Tab speaks protocol ${String(message.protocol)}, leader speaks ${PROTOCOL_VERSION}.`,
        );
      });
    }
    if (!Array.isArray(message.args)) {
      return toResult(() => {
        throw new MnemoError('PROTOCOL_ERROR', 'A relayed call came without its arguments.');
      });
    }
    if (!message.callbacks) return this.host.call(id, message.method, message.args as never);
    const { llm, progress } = message.callbacks;
    // The caller's callbacks cross back over the channel; if its page goes, a pending answer fails the pass.
    const stopWatching = whenReleased(pageLockName(message.from), () => this.callerGone(message.from));
    try {
      return await this.host.consolidateWith(
        id,
        message.args[0] as ConsolidateOptions | undefined,
        llm ? proxy((prompt: string) => this.ask(message, prompt)) : undefined,
        progress
          ? proxy((report: ConsolidationReport) =>
              this.post({
                t: 'callback',
                from: this.page,
                to: message.from,
                seq: message.seq,
                cb: 0,
                kind: 'progress',
                value: report,
              }),
            )
          : undefined,
      );
    } finally {
      stopWatching();
    }
  }

  private ask(message: CallMessage, prompt: string): Promise<string> {
    const cb = this.nextCallback++;
    return new Promise<Result<string>>((settle) => {
      this.callbacks.set(cb, { from: message.from, settle });
      this.post({ t: 'callback', from: this.page, to: message.from, seq: message.seq, cb, kind: 'llm', value: prompt });
    })
      .then((result) => unwrapResult<string>(result))
      .finally(() => this.callbacks.delete(cb));
  }

  private callerGone(from: PageId): void {
    for (const callback of this.callbacks.values()) {
      if (callback.from !== from) continue;
      callback.settle({
        ok: false,
        error: new MnemoError('ABORTED', 'The tab whose language model this pass used has closed.').toJSON(),
      });
    }
  }
}

function key(from: PageId, seq: number): string {
  return `${from}:${seq}`;
}
