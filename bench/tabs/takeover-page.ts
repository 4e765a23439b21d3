// One tab of the takeover benchmark: a memory in 'leader' coordination whose coordination events go to the driver.

import { createMemory, type MemoryClient } from 'mnemo';
import type { EmbeddingOptions } from '../../src/core/api.js';
import type { CoordinationEvent } from '../../src/sdk/tab-facade.js';
import type { ModelStartTimes } from './model-start-worker.js';

export interface TakeoverTab {
  open(namespace: string, embedding: EmbeddingOptions | undefined): Promise<void>;
  /** Remembers `count` notes in batches of 500, through whichever tab leads. */
  fill(count: number): Promise<void>;
  /** Calls without end, one at a time with a pause between (a recall, then a remember), until `stop()`. */
  loop(pauseMs: number): Promise<{ calls: number; failed: number }>;
  stop(): void;
  /** When this page's model load (as leader) reached each stage: first and last event of each, `Date.now()`. */
  modelStages(): Record<string, { first: number; last: number }>;
  /** Loads `models` one after the other in one fresh worker (model-start-worker.ts). */
  modelStart(models: string[]): Promise<ModelStartTimes>;
}

declare global {
  interface Window {
    takeover: TakeoverTab;
    /** Exposed by the driver: every coordination event of this page. */
    reportCoordination(event: CoordinationEvent): Promise<void>;
  }
}

const topics = ['harbour', 'garden', 'violin', 'mountain', 'recipe', 'library', 'bicycle', 'market', 'river', 'lantern'];
const note = (i: number) => `Note ${i}: a memory about the ${topics[i % 10]} and the ${topics[(i * 7) % 10]} on day ${i % 97}`;

let memory: MemoryClient | undefined;
let stopped = false;
const stages: Record<string, { first: number; last: number }> = {};
const opened = () => {
  if (!memory) throw new Error('open() first');
  return memory;
};

window.takeover = {
  async open(namespace, embedding) {
    memory = await createMemory({
      namespace,
      coordination: 'leader',
      ...(embedding && { embedding }),
      onModelProgress: ({ stage }) => {
        const at = Date.now();
        stages[stage] = { first: stages[stage]?.first ?? at, last: at };
      },
      onCoordination: (event) => void window.reportCoordination(event),
    });
  },
  async fill(count) {
    for (let i = 0; i < count; i += 500) {
      await opened().remember(Array.from({ length: Math.min(500, count - i) }, (_, j) => ({ text: note(i + j) })));
    }
  },
  async loop(pauseMs) {
    stopped = false;
    let calls = 0;
    let failed = 0;
    for (let i = 0; !stopped; i++) {
      try {
        if (i % 2 === 0) await opened().recall(`${topics[i % 10]} memory`, { k: 5 });
        else await opened().remember({ text: `Loop note ${i} about the ${topics[i % 10]}` });
      } catch {
        failed++; // LEADER_LOST for a write in flight at a kill
      }
      calls++;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    return { calls, failed };
  },
  stop() {
    stopped = true;
  },
  modelStages: () => stages,
  modelStart: (models) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./model-start-worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<{ times?: ModelStartTimes; error?: string }>) => {
        worker.terminate();
        if (event.data.times) resolve(event.data.times);
        else reject(new Error(event.data.error));
      };
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(models);
    }),
};
document.body.dataset['ready'] = 'true';
