// CL110: Starting an event loop (asyncio.run, run_until_complete) inside a coroutine fails.
import docs from './nested-event-loop.md';
import { blockingRule, displayName } from './blocking';

export const nestedEventLoop = blockingRule(
  {
    code: 'CL110',
    name: 'event-loop-run-in-coroutine',
    family: 'event-loop',
    summary: 'Starting an event loop (`asyncio.run`, `run_until_complete`) inside a coroutine fails',
    severity: 'error',
    fixable: true,
    docs,
  },
  (s) => `${displayName(s).replace('asyncio.AbstractEventLoop.', 'loop.')} cannot run inside a running event loop; await the coroutine instead`,
);
