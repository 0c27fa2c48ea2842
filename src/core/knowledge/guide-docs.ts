// Generated documentation for the model guide and the concept notes:
//   docs/model-guide.md         the decision flow in words, each recommendation with its snippet
//   docs/images/model-guide.svg the same flow drawn as a diagram
//   docs/concepts/README.md     one section per topic, with the hover notes that link to it
// All three are rendered from model-guide.ts and concepts.ts by `npm run docs`
// (scripts/model-guide-svg.mjs); test/unit/model-guide.test.ts fails when a committed copy drifts.
import { CONCEPTS, CONCEPT_KEYS, CONSTRUCTS, type ConceptKey, type ConstructKey } from './concepts';
import { GUIDE_START, MODEL_GUIDE, type GuideNode, type GuideNodeId, type GuideRecommendation } from './model-guide';

const GENERATED = '<!-- Generated from src/core/knowledge/{model-guide,concepts}.ts by `npm run docs`; edit those, not this file. -->';

/** Repository-relative path -> content, for every generated file. */
export function renderGuideDocs(): Map<string, string> {
  return new Map([
    ['docs/model-guide.md', renderModelGuidePage()],
    ['docs/images/model-guide.svg', renderModelGuideSvg()],
    ['docs/concepts/README.md', renderConceptsPage()],
  ]);
}

// ---------------------------------------------------------------------------------------
// Markdown

/** Hover notes and guide recommendations whose topic is `key`. */
function linksTo(key: ConceptKey): { constructs: ConstructKey[]; recommendations: GuideNodeId[] } {
  const constructs = (Object.keys(CONSTRUCTS) as ConstructKey[]).filter((c) => CONSTRUCTS[c].concept === key);
  const recommendations = (Object.keys(MODEL_GUIDE) as GuideNodeId[]).filter((id) => {
    const n = MODEL_GUIDE[id];
    return n.kind === 'recommendation' && n.concept === key;
  });
  return { constructs, recommendations };
}

export function renderConceptsPage(): string {
  const out: string[] = [
    '# Concurrency concepts',
    '',
    GENERATED,
    '',
    'The ideas behind Concurrency Lens\'s findings, in a few sentences each. In VS Code, hovering a concurrency',
    'construct (`async def`, `await`, `asyncio.create_task`, `threading.Thread`, `ProcessPoolExecutor`, ...) shows its',
    'note and links to the section here that explains it (setting `conclens.conceptHovers`). To pick a model for new',
    'code, see [Choosing a concurrency model](../model-guide.md).',
    '',
    CONCEPT_KEYS.map((k) => `- [${CONCEPTS[k].title}](#${k})`).join('\n'),
    '',
    '![Hovering aio.create_task in VS Code shows its note (screenshot from the end-to-end tests)](../images/concept-hover.png)',
  ];
  for (const key of CONCEPT_KEYS) {
    const c = CONCEPTS[key];
    out.push('', `## <a id="${key}"></a>${c.title}`, '', c.body);
    const { constructs, recommendations } = linksTo(key);
    if (constructs.length > 0) {
      out.push('', 'Hover notes that point here:', '');
      for (const k of constructs) out.push(`- **${CONSTRUCTS[k].label}** — ${CONSTRUCTS[k].body}`);
    }
    if (key === 'decision-flow' || recommendations.length > 0) {
      const recs = recommendations.map((id) => `[${(MODEL_GUIDE[id] as GuideRecommendation).model}](../model-guide.md#${id})`);
      out.push('', key === 'decision-flow' ? 'The whole flow, with a snippet for each answer: [Choosing a concurrency model](../model-guide.md).' : `In the model guide: ${recs.join(', ')}.`);
    }
  }
  return out.join('\n') + '\n';
}

export function renderModelGuidePage(): string {
  const out: string[] = [
    '# Choosing a concurrency model',
    '',
    GENERATED,
    '',
    'Python offers three ways to do several things at once: threads, processes and asyncio. Which one fits depends',
    'first on what the work spends its time on, computing or waiting, and then on what the waiting looks like.',
    'In VS Code, **Concurrency Lens: Choose a Concurrency Model** (command palette) asks the same questions as quick',
    'picks and inserts the snippet of the answer at the cursor, or opens it in a new editor.',
    '',
    '![The decision flow: CPU-bound work goes to processes; fast, few waits to threads; slow, many waits to asyncio (with to_thread for blocking calls); mixed work to asyncio with a process pool](images/model-guide.svg)',
    '',
    'In the editor (screenshots from the end-to-end tests):',
    '',
    '![The first question of the command, as a quick pick](images/model-guide-pick.png)',
    '',
    '![The recommendation, with its reason and the snippet buttons](images/model-guide-recommendation.png)',
    '',
    '## The questions',
  ];
  for (const id of questionOrder()) {
    const node = MODEL_GUIDE[id];
    if (node.kind !== 'question') continue;
    out.push('', `### <a id="${id}"></a>${node.question}`, '');
    for (const a of node.answers) {
      const next = MODEL_GUIDE[a.next];
      const target = next.kind === 'question' ? next.question : `${next.model} (\`${next.api}\`)`;
      out.push(`- **${a.label}** — ${a.detail}. → [${target}](#${a.next})`);
    }
  }
  out.push('', '## The recommendations');
  for (const id of Object.keys(MODEL_GUIDE) as GuideNodeId[]) {
    const node = MODEL_GUIDE[id];
    if (node.kind !== 'recommendation') continue;
    out.push(
      '',
      `### <a id="${id}"></a>${node.model}: \`${node.api}\``,
      '',
      node.reason,
      '',
      `Background: [${CONCEPTS[node.concept].title}](concepts/README.md#${node.concept}).`,
      '',
      '```python',
      node.snippet.trimEnd(),
      '```',
    );
  }
  return out.join('\n') + '\n';
}

/** Questions in the order a walk meets them (breadth first). */
function questionOrder(): GuideNodeId[] {
  const order: GuideNodeId[] = [];
  const queue: GuideNodeId[] = [GUIDE_START];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const node = MODEL_GUIDE[id];
    if (node.kind !== 'question' || order.includes(id)) continue;
    order.push(id);
    for (const a of node.answers) queue.push(a.next);
  }
  return order;
}

// ---------------------------------------------------------------------------------------
// SVG

interface Placed {
  id: GuideNodeId;
  node: GuideNode;
  depth: number;
  /** Centre x. */
  x: number;
  /** Top y. */
  y: number;
  width: number;
  height: number;
  lines: { text: string; kind: 'title' | 'api' | 'question' }[];
  children: { answer: string; child: Placed }[];
}

const COLUMN = 222;
const ROW = 150;
const MARGIN = 24;
const TOP = 74;
const QUESTION_WIDTH = 236;
const RECOMMENDATION_WIDTH = 206;
const FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace";

const FILL: Partial<Record<GuideNodeId, string>> = {
  processes: '#fde4e1',
  threads: '#fff3c4',
  asyncio: '#dcf3e0',
  'asyncio-to-thread': '#d9ecff',
  mixed: '#ece1ff',
};

/** Rough text width: enough to wrap and size boxes; the fonts differ a little per system. */
function textWidth(text: string, size: number, mono: boolean): number {
  return text.length * size * (mono ? 0.6 : 0.56);
}

function wrap(text: string, maxWidth: number, size: number, mono = false): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const candidate = line ? `${line} ${w}` : w;
    if (line && textWidth(candidate, size, mono) > maxWidth) {
      lines.push(line);
      line = w;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function layout(): { root: Placed; all: Placed[]; width: number; height: number } {
  const all: Placed[] = [];
  let column = 0;
  const place = (id: GuideNodeId, depth: number): Placed => {
    const node = MODEL_GUIDE[id];
    const isQuestion = node.kind === 'question';
    const width = isQuestion ? QUESTION_WIDTH : RECOMMENDATION_WIDTH;
    const lines: Placed['lines'] = isQuestion
      ? wrap(node.short, width - 28, 14).map((text) => ({ text, kind: 'question' as const }))
      : [
          ...wrap(node.model, width - 24, 15).map((text) => ({ text, kind: 'title' as const })),
          ...wrap(node.api, width - 24, 12, true).map((text) => ({ text, kind: 'api' as const })),
        ];
    const p: Placed = { id, node, depth, x: 0, y: TOP + depth * ROW, width, height: 0, lines, children: [] };
    p.height = 24 + lines.length * 18;
    all.push(p);
    if (node.kind === 'question') {
      for (const a of node.answers) p.children.push({ answer: a.edge, child: place(a.next, depth + 1) });
      p.x = p.children.reduce((s, c) => s + c.child.x, 0) / p.children.length;
    } else {
      p.x = MARGIN + column * COLUMN + COLUMN / 2;
      column++;
    }
    return p;
  };
  const root = place(GUIDE_START, 0);
  const width = MARGIN * 2 + column * COLUMN;
  const height = Math.max(...all.map((p) => p.y + p.height)) + 44;
  return { root, all, width, height };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r = (n: number) => Math.round(n * 10) / 10;

export function renderModelGuideSvg(): string {
  const { all, width, height } = layout();
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title desc">`,
    '  <title id="title">Choosing a concurrency model</title>',
    `  <desc id="desc">${esc(describeFlow())}</desc>`,
    '  <defs>',
    '    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">',
    '      <path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/>',
    '    </marker>',
    '  </defs>',
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `  <text x="${width / 2}" y="36" text-anchor="middle" font-family="${FONT}" font-size="20" font-weight="600" fill="#1f2328">Choosing a concurrency model</text>`,
  );
  // Arrows first, so the boxes and labels sit on top of them.
  for (const p of all) {
    const bottom = p.y + p.height;
    const bend = bottom + 26;
    for (const { answer, child } of p.children) {
      out.push(`  <path d="M ${r(p.x)} ${r(bottom)} V ${r(bend)} H ${r(child.x)} V ${r(child.y - 2)}" fill="none" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>`);
      const ly = bend + (child.y - bend) / 2;
      const lw = textWidth(answer, 12, false) + 14;
      out.push(
        `  <rect x="${r(child.x - lw / 2)}" y="${r(ly - 10)}" width="${r(lw)}" height="20" rx="10" fill="#ffffff" stroke="#c8ccd1"/>`,
        `  <text x="${r(child.x)}" y="${r(ly + 4)}" text-anchor="middle" font-family="${FONT}" font-size="12" fill="#1f2328">${esc(answer)}</text>`,
      );
    }
  }
  for (const p of all) {
    const left = p.x - p.width / 2;
    const question = p.node.kind === 'question';
    out.push(
      `  <rect x="${r(left)}" y="${r(p.y)}" width="${p.width}" height="${p.height}" rx="${question ? 6 : 12}" ` +
        `fill="${question ? '#f6f8fa' : FILL[p.id] ?? '#eeeeee'}" stroke="${question ? '#57606a' : '#8c959f'}" stroke-width="${question ? 1.5 : 1}"/>`,
    );
    let y = p.y + 26;
    for (const line of p.lines) {
      const style =
        line.kind === 'title'
          ? `font-family="${FONT}" font-size="15" font-weight="600"`
          : line.kind === 'api'
            ? `font-family="${MONO}" font-size="12"`
            : `font-family="${FONT}" font-size="14"`;
      out.push(`  <text x="${r(p.x)}" y="${r(y)}" text-anchor="middle" ${style} fill="#1f2328">${esc(line.text)}</text>`);
      y += 18;
    }
  }
  out.push(
    `  <text x="${width - MARGIN}" y="${height - 14}" text-anchor="end" font-family="${FONT}" font-size="11" fill="#6e7781">Generated from src/core/knowledge/model-guide.ts (npm run docs)</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}

/** The flow in one paragraph, for the diagram's description (screen readers). */
function describeFlow(): string {
  const parts: string[] = [];
  for (const id of questionOrder()) {
    const node = MODEL_GUIDE[id];
    if (node.kind !== 'question') continue;
    const answers = node.answers.map((a) => {
      const next = MODEL_GUIDE[a.next];
      return `${a.edge}: ${next.kind === 'question' ? next.short : `${next.model} (${next.api})`}`;
    });
    parts.push(`${node.short} ${answers.join('; ')}.`);
  }
  return parts.join(' ');
}
