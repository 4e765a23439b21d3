// Installed by the takeover benchmark in a follower's standby memory worker (through Playwright, before the
// takeover): timestamps of what that worker does once it leads, without touching Mnemo's code. It wraps the
// IndexedDB calls, the worker's messages and the embedding worker it starts. Self-contained: Playwright sends
// the function's source to the worker.

/** [what, epoch ms (sub-ms), detail] */
export type ProbeMark = [string, number, string];

export function installProbe(): void {
  const scope = self as unknown as { __probe?: ProbeMark[] } & typeof globalThis;
  if (scope.__probe) return;
  const marks: ProbeMark[] = (scope.__probe = []);
  const mark = (what: string, detail = '') => marks.push([what, performance.timeOrigin + performance.now(), detail]);

  // Calls from the page arrive as messages (the open request first); answers leave through postMessage.
  scope.addEventListener(
    'message',
    (event: MessageEvent<{ path?: string[] } | null>) => mark('message-in', event.data?.path?.join('.') ?? ''),
    true,
  );
  const post = scope.postMessage.bind(scope) as (...args: unknown[]) => void;
  (scope as unknown as { postMessage: (...args: unknown[]) => void }).postMessage = (...args: unknown[]) => {
    mark('message-out');
    post(...args);
  };

  const watch = (request: IDBRequest | IDBOpenDBRequest, what: string, detail: string) => {
    mark(`${what}:start`, detail);
    request.addEventListener('success', () => mark(`${what}:done`, detail));
    return request;
  };
  const open = Reflect.get<IDBFactory, 'open'>(IDBFactory.prototype, 'open');
  IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
    return watch(open.call(this, name, version), 'idb-open', name) as IDBOpenDBRequest;
  };
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as const) {
    for (const method of ['get', 'getAll', 'getAllKeys', 'openCursor', 'count'] as const) {
      const original = (proto as unknown as Record<string, (...args: unknown[]) => IDBRequest>)[method]!;
      (proto as unknown as Record<string, unknown>)[method] = function (this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
        const store = 'objectStore' in this ? this.objectStore.name : this.name;
        return watch(original.apply(this, args), 'idb-read', store);
      };
    }
  }

  // The embedding worker: its first message is the answer to `load`, the model ready.
  const NativeWorker = scope.Worker;
  scope.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      mark('embedding-worker-start', options?.name ?? '');
      let first = true;
      this.addEventListener('message', () => {
        if (first) mark('embedding-model-ready');
        first = false;
      });
    }
  };
}

export function readProbe(): ProbeMark[] {
  return (self as unknown as { __probe?: ProbeMark[] }).__probe ?? [];
}
