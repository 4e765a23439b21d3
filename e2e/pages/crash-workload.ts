// What the crash workload writes and reports, shared by the page that runs it and the test that checks it.

export type CrashMode = 'worker' | 'hnsw';

/** What the test process hears; `forgetting` is awaited before the forget starts, so the test always knows. */
export type CrashEvent =
  | { kind: 'remembered'; batch: number; ids: string[] }
  | { kind: 'forgetting'; batch: number }
  | { kind: 'forgot'; batch: number; ids: string[] }
  | { kind: 'consolidated'; processed: number };

const SUBJECTS = ['tea', 'Lisbon', 'cycling', 'jazz', 'green', 'Rust', 'hiking', 'Kyoto', 'chess', 'bread'];

/** The text of turn `turn` of batch `batch`: first-person statements, so consolidation extracts facts. */
export function turnText(batch: number, turn: number): string {
  const subject = SUBJECTS[(batch * 7 + turn) % SUBJECTS.length]!;
  return turn % 3 === 0
    ? `I love ${subject} (batch ${batch}, turn ${turn})`
    : turn % 3 === 1
      ? `My favourite thing is ${subject}, says batch ${batch} turn ${turn}`
      : `We talked about ${subject} in batch ${batch}, turn ${turn}`;
}

export function batchSession(batch: number): string {
  return `batch-${batch}`;
}
