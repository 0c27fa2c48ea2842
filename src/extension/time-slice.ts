// Cooperative time slicing for long background work in the extension host: the caller does
// a unit of work, then `await slicer.yield()`; once the budget is spent the slicer gives the
// event loop a turn (a macrotask, so timers, I/O and VS Code's messages run) and starts a
// new slice. One unit that takes longer than the budget still runs to its end.
export class TimeSlicer {
  private sliceStart: number;
  /** Number of times the event loop was given a turn. */
  yields = 0;

  constructor(private readonly budgetMs = 10, private readonly now: () => number = () => performance.now()) {
    this.sliceStart = now();
  }

  get due(): boolean {
    return this.now() - this.sliceStart >= this.budgetMs;
  }

  /** Yields to the event loop when the slice is used up; resolves at once otherwise. */
  async yield(): Promise<void> {
    if (!this.due) return;
    this.yields++;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.sliceStart = this.now();
  }
}
