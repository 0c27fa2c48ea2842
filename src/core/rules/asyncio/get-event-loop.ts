// CL206: inside a coroutine the loop is known to be running; `asyncio.get_event_loop()`
// there is the old, policy-dependent spelling of `asyncio.get_running_loop()`.
import docs from './get-event-loop.md';
import { moduleReference } from '../../fixes/imports';
import { coroutineOf } from '../../semantics/event-loop';
import type { Finding, TextEdit } from '../../types';
import type { Rule } from '../rule';
import { calleesOf } from '../../semantics/origin';

const GET_EVENT_LOOP = new Set(['asyncio.get_event_loop', 'asyncio.events.get_event_loop']);

export const getEventLoopInCoroutine: Rule = {
  meta: {
    code: 'CL206',
    name: 'get-event-loop-in-coroutine',
    family: 'asyncio',
    summary: '`asyncio.get_event_loop()` inside a coroutine; `asyncio.get_running_loop()` says what is meant',
    severity: 'info',
    fixable: true,
    docs,
  },
  check(ctx) {
    const { model, resolver } = ctx;
    if (!model.hasAsyncDef) return;
    const { qnames } = calleesOf(model, resolver);
    for (let i = 0; i < model.calls.length; i++) {
      const call = model.calls[i];
      if (!GET_EVENT_LOOP.has(qnames[i] ?? '') || !coroutineOf(model, call)) continue;
      const fn = call.childForFieldName('function');
      if (!fn) continue;
      const finding: Omit<Finding, 'severity'> = {
        code: 'CL206',
        message: '`asyncio.get_event_loop()` inside a coroutine; use `asyncio.get_running_loop()`',
        span: { start: call.startIndex, end: call.endIndex },
      };
      const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((c) => c && c.type !== 'comment');
      if (args.length > 0) {
        finding.noFixReason = '`get_running_loop()` takes no arguments';
      } else {
        // `asyncio.get_event_loop` / `aio.get_event_loop`: rename the attribute, keeping the
        // module as written; a bare imported `get_event_loop` becomes `asyncio.get_running_loop`.
        const attr = fn.type === 'attribute' ? fn.childForFieldName('attribute') : null;
        const edits: TextEdit[] = [];
        if (attr) edits.push({ start: attr.startIndex, end: attr.endIndex, content: 'get_running_loop' });
        else {
          const ref = moduleReference(model, 'asyncio');
          edits.push({ start: fn.startIndex, end: fn.endIndex, content: `${ref.name}.get_running_loop` });
          if (ref.edit) edits.push(ref.edit);
        }
        finding.fix = { title: 'Replace with `asyncio.get_running_loop()`', applicability: 'safe', edits };
      }
      ctx.report(finding);
    }
  },
};
