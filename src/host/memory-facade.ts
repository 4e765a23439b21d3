// The host side of the wire: one frozen facade per connection, dispatching checked calls to a runtime.

import type { ConsolidationReport, MemoryMethod, ModelLoadProgress } from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import type { MemoryRuntime } from '../core/runtime.js';
import { checkEmbeddingOptions } from '../core/embedding/embedding-options.js';
import { checkNamespace } from '../core/validate.js';
import {
  PROTOCOL_VERSION,
  toResult,
  type CallId,
  type HostFacade,
  type MethodArgs,
  type MethodResult,
  type OpenRequest,
} from '../protocol/protocol.js';
import type { RuntimeRegistry } from './runtime-registry.js';

type Handler<M extends MemoryMethod> = (
  runtime: MemoryRuntime,
  args: MethodArgs<M>,
  signal: AbortSignal,
) => Promise<MethodResult<M>>;

// The only verbs that may be called over the wire, each with its arguments placed explicitly.
const HANDLERS: { readonly [M in MemoryMethod]: Handler<M> } = Object.freeze({
  remember: (runtime, [input], signal) => runtime.remember(input, { signal }),
  recall: (runtime, [query, options], signal) => runtime.recall(query, options, { signal }),
  get: (runtime, [id]) => runtime.get(id),
  list: (runtime, [options]) => runtime.list(options),
  forget: (runtime, [target, options], signal) => runtime.forget(target, options, { signal }),
  stats: (runtime) => runtime.stats(),
  recent: (runtime, [sessionId, options]) => runtime.recent(sessionId, options),
  workingList: (runtime) => runtime.workingList(),
  workingGet: (runtime, [label]) => runtime.workingGet(label),
  workingSet: (runtime, [label, input, options]) => runtime.workingSet(label, input, options),
  workingAppend: (runtime, [label, text]) => runtime.workingAppend(label, text),
  workingReplace: (runtime, [label, oldText, newText]) => runtime.workingReplace(label, oldText, newText),
  workingDelete: (runtime, [label, options]) => runtime.workingDelete(label, options),
  factAdd: (runtime, [input]) => runtime.factAdd(input),
  factUpdate: (runtime, [id, input]) => runtime.factUpdate(id, input),
  factInvalidate: (runtime, [id, options]) => runtime.factInvalidate(id, options),
  factList: (runtime, [options]) => runtime.factList(options),
  factHistory: (runtime, [id]) => runtime.factHistory(id),
  instructionAdd: (runtime, [text, options]) => runtime.instructionAdd(text, options),
  instructionList: (runtime) => runtime.instructionList(),
  archiveAdd: (runtime, [document], signal) => runtime.archiveAdd(document, { signal }),
  context: (runtime, [query, options], signal) => runtime.context(query, options, { signal }),
  consolidate: (runtime, [options], signal) => runtime.consolidate(options, { signal }),
  tools: (runtime) => runtime.tools(),
  executeTool: (runtime, [call, options]) => runtime.executeTool(call, options),
  reembed: (runtime, _args, signal) => runtime.reembed({ signal }),
  exportJsonl: (runtime) => runtime.exportJsonl(),
  importJsonl: (runtime, [jsonl], signal) => runtime.importJsonl(jsonl, { signal }),
  encryptionEnable: (runtime, [passphrase]) => runtime.encryptionEnable(passphrase),
  encryptionChangePassphrase: (runtime, [oldPassphrase, newPassphrase]) =>
    runtime.encryptionChangePassphrase(oldPassphrase, newPassphrase),
  checkIntegrity: (runtime) => runtime.checkIntegrity(),
  acknowledgeDataLoss: (runtime) => runtime.acknowledgeDataLoss(),
  purgeQuarantine: (runtime, [ids]) => runtime.purgeQuarantine(ids),
  forgetLog: (runtime) => runtime.forgetLog(),
});

/** The passphrase of an open request; its value never goes into an error. */
function checkEncryptionRequest(value: unknown): string {
  const passphrase = (value as { passphrase?: unknown } | null)?.passphrase;
  if (typeof value !== 'object' || value === null || Object.keys(value).some((key) => key !== 'passphrase')) {
    throw new MnemoError('INVALID_ARGUMENT', 'options.encryption must be { passphrase }.');
  }
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new MnemoError('INVALID_ARGUMENT', 'options.encryption.passphrase must be a non-empty string.');
  }
  return passphrase;
}

export function createMemoryFacade(registry: RuntimeRegistry): HostFacade {
  let runtime: MemoryRuntime | undefined;
  let namespace: string | undefined;
  const inFlight = new Map<CallId, AbortController>();

  const facade: HostFacade = {
    open: (request: OpenRequest, onModelProgress?: (progress: ModelLoadProgress) => unknown) =>
      toResult(async () => {
        if (request?.protocol !== PROTOCOL_VERSION) {
          throw new MnemoError(
            'PROTOCOL_ERROR',
            `Client speaks protocol ${String(request?.protocol)}, host speaks ${PROTOCOL_VERSION}.`,
          );
        }
        if (runtime) throw new MnemoError('PROTOCOL_ERROR', 'This connection already opened a memory.');
        const name = checkNamespace(request.namespace);
        const embedding = request.embedding === undefined ? undefined : checkEmbeddingOptions(request.embedding);
        const report =
          onModelProgress &&
          ((progress: ModelLoadProgress) => void Promise.resolve(onModelProgress(progress)).catch(() => undefined));
        const passphrase = request.encryption === undefined ? undefined : checkEncryptionRequest(request.encryption);
        runtime = await registry.acquire(name, embedding, report, passphrase);
        namespace = name;
        return { namespace: name, records: (await runtime.stats()).records };
      }),

    call: <M extends MemoryMethod>(id: CallId, method: M, args: MethodArgs<M>) =>
      toResult<MethodResult<M>>(async () => {
        if (!runtime) throw new MnemoError('CLOSED', 'No memory is open on this connection.');
        if (!Object.hasOwn(HANDLERS, method) || !Array.isArray(args)) {
          throw new MnemoError('PROTOCOL_ERROR', `Unknown call "${String(method)}".`);
        }
        const controller = new AbortController();
        inFlight.set(id, controller);
        try {
          const handler = HANDLERS[method] as Handler<M>;
          const value: MethodResult<M> = await handler(runtime, args, controller.signal);
          return value;
        } finally {
          inFlight.delete(id);
        }
      }),

    consolidateWith: (id, options, llm, onProgress) =>
      toResult(async () => {
        if (!runtime) throw new MnemoError('CLOSED', 'No memory is open on this connection.');
        if (llm !== undefined && typeof llm !== 'function')
          throw new MnemoError('PROTOCOL_ERROR', 'llm must be a function proxy.');
        const controller = new AbortController();
        inFlight.set(id, controller);
        try {
          return await runtime.consolidate(options, {
            signal: controller.signal,
            // The page's model answers through the proxy; a throw there fails the pass, losing nothing.
            ...(llm && { llm: async (prompt: string) => llm(prompt) }),
            ...(onProgress && {
              onProgress: (report: ConsolidationReport) => void Promise.resolve(onProgress(report)).catch(() => undefined),
            }),
          });
        } finally {
          inFlight.delete(id);
        }
      }),

    abort: (id: CallId) => inFlight.get(id)?.abort(),

    // Loads a model for this host's next open (a standby host's, so a takeover need not wait for it); it opens no
    // namespace, so no store is read or written. Refused once a memory is open on this connection.
    prepare: (embedding) =>
      toResult(async () => {
        if (runtime) throw new MnemoError('PROTOCOL_ERROR', 'This connection already opened a memory.');
        await registry.prepare(checkEmbeddingOptions(embedding));
      }),

    close: () =>
      toResult(async () => {
        const name = namespace;
        runtime = undefined;
        namespace = undefined;
        if (name !== undefined) await registry.release(name);
      }),
  };
  return Object.freeze(facade);
}
