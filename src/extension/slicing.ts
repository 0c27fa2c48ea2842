// Runs a job made of steps (a generator) without holding the extension host for long: after
// each step, when the current slice has run for `budgetMs`, it gives the event loop a turn,
// then goes on unless the job was cancelled meanwhile. No vscode import: unit-tested alone.

export interface SliceOptions {
  /** Milliseconds of work between two turns of the event loop. */
  budgetMs: number;
  /** Asked after each turn; true stops the job (its result is dropped). */
  cancelled: () => boolean;
  /** Gives the event loop a turn (default: a zero-delay timer). */
  yieldNow?: () => Promise<void>;
  now?: () => number;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The job's result, or undefined when it was cancelled. */
export async function runSliced<T>(steps: Generator<unknown, T, void>, opts: SliceOptions): Promise<T | undefined> {
  const now = opts.now ?? (() => performance.now());
  const yieldNow = opts.yieldNow ?? yieldToEventLoop;
  let sliceStart = now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (now() - sliceStart < opts.budgetMs) continue;
    await yieldNow();
    if (opts.cancelled()) {
      steps.return(undefined as T);
      return undefined;
    }
    sliceStart = now();
  }
}
