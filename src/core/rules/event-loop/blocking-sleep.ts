// CL101: time.sleep() inside async def stops the whole event loop.
import docs from './blocking-sleep.md';
import { blockingRule, displayName } from './blocking';

export const blockingSleep = blockingRule(
  {
    code: 'CL101',
    name: 'blocking-sleep-in-async',
    family: 'event-loop',
    summary: '`time.sleep()` inside `async def` stops the whole event loop',
    severity: 'warning',
    fixable: true,
    docs,
  },
  (s) => `${displayName(s)} blocks the event loop`,
);
