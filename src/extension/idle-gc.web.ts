// The web extension host's stand-in for idle-gc.ts (esbuild.mjs swaps it in for the web
// build): a web worker cannot ask V8 for a collection, so there is no collector.
import type { IdleCollector as NodeIdleCollector } from './idle-gc';

export const IdleCollector = {
  create(): NodeIdleCollector | undefined {
    return undefined;
  },
};
