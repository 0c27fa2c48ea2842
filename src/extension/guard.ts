// Errors must never reach VS Code as unhandled exceptions from an event handler or provider:
// every callback goes through `guard`, which logs and returns a harmless fallback.
export interface ErrorSink {
  error(message: string, ...args: unknown[]): void;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

export function guard<A extends unknown[], R>(sink: ErrorSink, label: string, fn: (...args: A) => R, fallback: R): (...args: A) => R {
  return (...args: A): R => {
    try {
      const result = fn(...args);
      if (isThenable(result)) {
        return Promise.resolve(result).catch((err: unknown) => {
          sink.error(`${label}: ${errorText(err)}`);
          return fallback;
        }) as R;
      }
      return result;
    } catch (err) {
      sink.error(`${label}: ${errorText(err)}`);
      return fallback;
    }
  };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
