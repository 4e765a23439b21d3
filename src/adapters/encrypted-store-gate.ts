// A readers-writer gate: store calls share it; turning encryption on takes it alone, after the calls in flight.

export class Gate {
  private active = 0;
  private closed: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  async shared<T>(task: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    this.active++;
    try {
      return await task();
    } finally {
      if (--this.active === 0) this.drained?.();
    }
  }

  async alone<T>(task: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    let open!: () => void;
    this.closed = new Promise<void>((resolve) => (open = resolve));
    try {
      if (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      return await task();
    } finally {
      this.closed = undefined;
      open();
    }
  }
}
