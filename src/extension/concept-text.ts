// The Markdown of a concept hover (`async def`, `await`, `asyncio.create_task`, ...), kept
// free of `vscode` so it can be unit-tested. Beside a Concurrency Lens diagnostic, whose
// hover already explains the problem at length, the note shrinks to one line with its link.
import { CONCEPTS, CONSTRUCTS, conceptUrl, type ConstructKey } from '../core/knowledge/concepts';

export const CHOOSE_MODEL_COMMAND = 'conclens.chooseModel';

export function conceptHoverMarkdown(construct: ConstructKey, options: { compact?: boolean } = {}): string {
  const note = CONSTRUCTS[construct];
  const topic = CONCEPTS[note.concept];
  const link = `[${topic.title}](${conceptUrl(note.concept)})`;
  if (options.compact) return `**Concept:** ${note.label} — ${link}`;
  return [
    `${note.label} — *concurrency concept*`,
    note.body,
    `Read more: ${link} · [Choose a concurrency model](command:${CHOOSE_MODEL_COMMAND})`,
  ].join('\n\n');
}
