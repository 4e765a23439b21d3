// The worker boundary: only calls to the facade's own methods get through to Comlink. Comlink walks any
// property path a message names and can set properties too, so a path through `__proto__` or `constructor`
// would reach (and pollute) Object.prototype or Function; messages from another origin are refused as well.

import type { Endpoint } from 'comlink';

/** Comlink's wire message, as far as the guard reads it. */
interface WireMessage {
  id?: unknown;
  type?: unknown;
  path?: unknown;
}

/**
 * Installs, ahead of Comlink's own listener, a listener that stops every message other than a call of one of
 * `methods` (a one-element path) or the proxy's release (the empty path). A refused message with an id is
 * answered with an error in Comlink's format, so a confused caller fails instead of hanging.
 */
export function guardEndpoint(endpoint: Endpoint, methods: ReadonlySet<string>, origins: readonly string[]): void {
  if (!(endpoint instanceof EventTarget) && !isEventTargetLike(endpoint)) {
    // Without stopImmediatePropagation the guard could not stop a message: fail closed.
    throw new TypeError('serveMemory needs an EventTarget endpoint (a worker scope or a MessagePort).');
  }
  endpoint.addEventListener('message', (event) => {
    const reason = refusal(event as MessageEvent, methods, origins);
    if (reason === undefined) return;
    event.stopImmediatePropagation();
    const id = (event as MessageEvent<WireMessage | null>).data?.id;
    if (typeof id === 'string' && reason !== 'origin') {
      endpoint.postMessage({ id, type: 'HANDLER', name: 'throw', value: { isError: true, value: refusedError(reason) } });
    }
  });
}

function refusal(event: MessageEvent, methods: ReadonlySet<string>, origins: readonly string[]): string | undefined {
  // Worker scopes and MessagePorts deliver with an empty origin; a window endpoint names the sender.
  if (typeof event.origin === 'string' && event.origin !== '' && !origins.includes(event.origin)) return 'origin';
  const data = event.data as WireMessage | null;
  if (typeof data !== 'object' || data === null) return 'shape';
  const path = data.path ?? [];
  if (!Array.isArray(path)) return 'shape';
  if (data.type === 'RELEASE' && path.length === 0) return undefined;
  if (data.type === 'APPLY' && path.length === 1 && typeof path[0] === 'string' && methods.has(path[0])) return undefined;
  return 'path';
}

function refusedError(reason: string): { message: string; name: string } {
  return { name: 'Error', message: `Mnemo's host refused a message (${reason}): only calls of the facade's methods are served.` };
}

function isEventTargetLike(endpoint: Endpoint): boolean {
  return typeof (endpoint as Partial<EventTarget>).dispatchEvent === 'function';
}
