// CL105: Synchronous database and service drivers inside async def block the event loop.
import docs from './blocking-database.md';
import { blockingRule, displayName } from './blocking';

export const blockingDatabase = blockingRule(
  {
    code: 'CL105',
    name: 'blocking-database-call-in-async',
    family: 'event-loop',
    summary: 'Synchronous database and service drivers inside `async def` block the event loop',
    severity: 'warning',
    fixable: true,
    docs,
  },
  (s) => `Synchronous database/service call ${displayName(s)} blocks the event loop`,
);
