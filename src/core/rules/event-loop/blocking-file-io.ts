// CL104: Synchronous file-system calls inside async def block the event loop.
import docs from './blocking-file-io.md';
import { blockingRule, displayName } from './blocking';

export const blockingFileIo = blockingRule(
  {
    code: 'CL104',
    name: 'blocking-file-io-in-async',
    family: 'event-loop',
    summary: 'Synchronous file-system calls inside `async def` block the event loop',
    severity: 'warning',
    fixable: true,
    docs,
  },
  (s) => `Synchronous file-system call ${displayName(s)} blocks the event loop`,
);
