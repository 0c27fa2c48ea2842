// CL103: Starting or waiting for a process synchronously inside async def blocks the event loop.
import docs from './blocking-subprocess.md';
import { blockingRule, displayName } from './blocking';

export const blockingSubprocess = blockingRule(
  {
    code: 'CL103',
    name: 'blocking-subprocess-in-async',
    family: 'event-loop',
    summary: 'Starting or waiting for a process synchronously inside `async def` blocks the event loop',
    severity: 'warning',
    fixable: true,
    docs,
  },
  (s) => `${displayName(s)} runs a process synchronously and blocks the event loop`,
);
