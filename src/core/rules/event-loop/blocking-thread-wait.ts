// CL107: Waiting on a thread or process primitive inside async def blocks the event loop.
import docs from './blocking-thread-wait.md';
import { blockingRule, displayName } from './blocking';

export const blockingThreadWait = blockingRule(
  {
    code: 'CL107',
    name: 'blocking-thread-wait-in-async',
    family: 'event-loop',
    summary: 'Waiting on a thread or process primitive inside `async def` blocks the event loop',
    severity: 'warning',
    fixable: true,
    docs,
  },
  (s) => s.form === 'with' ? `\`with\` on a \`${s.qname.replace(/\.__enter__$/, '')}\` waits for the lock and blocks the event loop` : `${displayName(s)} waits on a thread/process primitive and blocks the event loop`,
);
