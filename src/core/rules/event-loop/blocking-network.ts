// CL102: Synchronous network/HTTP calls inside async def block the event loop.
import docs from './blocking-network.md';
import { blockingRule, displayName } from './blocking';

export const blockingNetwork = blockingRule(
  {
    code: 'CL102',
    name: 'blocking-network-call-in-async',
    family: 'event-loop',
    summary: 'Synchronous network/HTTP calls inside `async def` block the event loop',
    severity: 'warning',
    fixable: true,
    docs,
  },
  (s) => `Synchronous network call ${displayName(s)} blocks the event loop`,
);
