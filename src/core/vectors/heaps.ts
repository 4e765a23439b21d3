// The candidate queue of a graph search: a growable binary max-heap of (score, slot) over typed arrays.

export class MaxHeap {
  private scores = new Float32Array(64);
  private slots = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  get topScore(): number {
    return this.scores[0]!;
  }

  push(slot: number, score: number): void {
    if (this.size === this.scores.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.scores[parent]! >= score) break;
      this.scores[i] = this.scores[parent]!;
      this.slots[i] = this.slots[parent]!;
      i = parent;
    }
    this.scores[i] = score;
    this.slots[i] = slot;
  }

  /** Removes the best entry and returns its slot (its score is `topScore` before the call). */
  pop(): number {
    const top = this.slots[0]!;
    const n = --this.size;
    if (n > 0) {
      const score = this.scores[n]!;
      const slot = this.slots[n]!;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && this.scores[right]! > this.scores[left]! ? right : left;
        if (this.scores[child]! <= score) break;
        this.scores[i] = this.scores[child]!;
        this.slots[i] = this.slots[child]!;
        i = child;
      }
      this.scores[i] = score;
      this.slots[i] = slot;
    }
    return top;
  }

  private grow(): void {
    const scores = new Float32Array(this.scores.length * 2);
    const slots = new Int32Array(this.slots.length * 2);
    scores.set(this.scores);
    slots.set(this.slots);
    this.scores = scores;
    this.slots = slots;
  }
}
