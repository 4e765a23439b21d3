// A bounded selection of the k highest scores: a binary min-heap over parallel typed arrays, no allocation per push.

export class TopK {
  readonly scores: Float32Array;
  readonly slots: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.scores = new Float32Array(Math.max(1, k));
    this.slots = new Int32Array(Math.max(1, k));
  }

  /** The lowest score kept, or -Infinity while fewer than k are kept: anything not above it is not a candidate. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(slot: number, score: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[i] = this.scores[parent]!;
        this.slots[i] = this.slots[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.slots[i] = slot;
    } else if (score > this.scores[0]!) {
      this.siftDown(slot, score);
    }
  }

  /** Slots and scores, best first. */
  sorted(): { slot: number; score: number }[] {
    const out: { slot: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ slot: this.slots[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }

  private siftDown(slot: number, score: number): void {
    const n = this.size;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.scores[right]! < this.scores[left]! ? right : left;
      if (this.scores[child]! >= score) break;
      this.scores[i] = this.scores[child]!;
      this.slots[i] = this.slots[child]!;
      i = child;
    }
    this.scores[i] = score;
    this.slots[i] = slot;
  }
}
