// CL106: Reading the console inside async def blocks the event loop.
import docs from './blocking-console-input.md';
import { blockingRule, displayName } from './blocking';

export const blockingConsoleInput = blockingRule(
  {
    code: 'CL106',
    name: 'blocking-input-in-async',
    family: 'event-loop',
    summary: 'Reading the console inside `async def` blocks the event loop',
    severity: 'warning',
    fixable: true,
    docs,
  },
  (s) => `${displayName(s)} waits for console input and blocks the event loop`,
);
