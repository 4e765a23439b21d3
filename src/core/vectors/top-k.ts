// A bounded selection of the k highest scores: a binary min-heap over parallel typed arrays, no allocation per push.

export class TopK {
  scores: Float32Array;
  slots: Int32Array;
  size = 0;

  constructor(public k: number) {
    this.scores = new Float32Array(Math.max(1, k));
    this.slots = new Int32Array(Math.max(1, k));
  }

  /** Empties the selection for reuse with a new k, so a hot loop allocates nothing. */
  reset(k: number): this {
    if (k > this.scores.length) {
      this.scores = new Float32Array(k);
      this.slots = new Int32Array(k);
    }
    this.k = k;
    this.size = 0;
    return this;
  }

  /**
   * Sorts the kept entries best first, in place (heap sort): `slots[i]`, `scores[i]` for i < size are then the
   * ranking. The heap order is gone afterwards, so push nothing more before a `reset`.
   */
  sortDescending(): void {
    for (let end = this.size - 1; end > 0; end--) {
      const score = this.scores[end]!;
      const slot = this.slots[end]!;
      // The minimum moves behind the heap, which shrinks by one: the tail fills with worst-last order.
      this.scores[end] = this.scores[0]!;
      this.slots[end] = this.slots[0]!;
      this.siftDown(slot, score, end);
    }
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

  /** Places (slot, score) at the root and sifts it down within the first `n` entries. */
  private siftDown(slot: number, score: number, n = this.size): void {
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
