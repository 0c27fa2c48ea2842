// One pending timer per key (a document URI): a new schedule replaces the old one, so a
// burst of keystrokes produces one lint after the user pauses.
export class Debouncer<K> {
  private timers = new Map<K, ReturnType<typeof setTimeout>>();

  schedule(key: K, delayMs: number, run: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      run();
    }, delayMs);
    this.timers.set(key, timer);
  }

  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  get size(): number {
    return this.timers.size;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
