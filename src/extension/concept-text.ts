// The Markdown of a concept hover (`async def`, `await`, `asyncio.create_task`, ...), kept
// free of `vscode` so it can be unit-tested. Beside a Concurrency Lens diagnostic, whose
// hover already explains the problem at length, the note shrinks to one line with its link.
import { CONCEPTS, CONSTRUCTS, conceptUrl, type ConstructKey } from '../core/knowledge/concepts';

export const CHOOSE_MODEL_COMMAND = 'conclens.chooseModel';

/** Constructs that run Python code in threads: what CL301 would say about them depends on the GIL. */
const THREAD_CONSTRUCTS: ReadonlySet<string> = new Set(['threading.Thread', 'concurrent.futures.ThreadPoolExecutor', 'to-thread', 'run-in-executor']);

export const FREE_THREADED_NOTE =
  'Free-threaded mode is on (`conclens.freeThreaded` / `free-threaded`): CL301 does not report CPU-bound work in threads, ' +
  'because a free-threaded CPython build (3.13t, 3.14t) has no GIL and runs Python code in several threads at once.';

export function conceptHoverMarkdown(construct: ConstructKey, options: { compact?: boolean; freeThreaded?: boolean } = {}): string {
  const note = CONSTRUCTS[construct];
  const topic = CONCEPTS[note.concept];
  const link = `[${topic.title}](${conceptUrl(note.concept)})`;
  const freeThreaded = options.freeThreaded && THREAD_CONSTRUCTS.has(construct) ? [FREE_THREADED_NOTE] : [];
  if (options.compact) return `**Concept:** ${note.label} — ${link}`;
  return [
    `${note.label} — *concurrency concept*`,
    note.body,
    ...freeThreaded,
    `Read more: ${link} · [Choose a concurrency model](command:${CHOOSE_MODEL_COMMAND})`,
  ].join('\n\n');
}
