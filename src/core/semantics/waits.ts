// Calls that probably wait although their receiver does not resolve: `q.get()` on a queue
// passed in as a plain parameter, `t.join()`, `conn.recv(1024)`, `event.wait()`. A worker
// loop such as `while True: item = q.get(); ...` waits on its queue almost all the time;
// without this it would read as a loop that computes without waiting. The shapes are
// chosen so that the same-named methods of plain data do not match: `dict.get(key)` has a
// positional argument, `", ".join(parts)` too.
import type { Node } from '../parse/syntax';
import type { Resolver } from './resolve';

const ALWAYS = new Set(['recv', 'recv_into', 'recvfrom', 'recv_bytes', 'recvmsg', 'accept', 'readline', 'readlines', 'wait', 'wait_for', 'acquire', 'sendall', 'getresponse', 'urlopen']);

function positional(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return [];
  return args.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment' && a.type !== 'keyword_argument');
}

export function probableWait(resolver: Resolver, call: Node): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return false;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  // Only receivers we know nothing about: a resolved receiver is the catalogue's business.
  if (resolver.resolve(fn.childForFieldName('object'))) return false;
  if (ALWAYS.has(method)) return true;
  const args = positional(call);
  switch (method) {
    case 'get':
      // queue.get(), queue.get(True), queue.get(timeout=1) — not dict.get(key).
      return args.length === 0 || args[0].type === 'true' || args[0].type === 'false';
    case 'join':
      // thread.join(), thread.join(2.5) — not ", ".join(parts).
      return args.length === 0 || args[0].type === 'integer' || args[0].type === 'float';
    case 'put':
      // queue.put(item), queue.put(item, True, 1)
      return args.length >= 1 && args.length <= 3;
    default:
      return false;
  }
}
