// Concept hovers: the note on the concurrency construct under the mouse (`async def`,
// `await`, `asyncio.create_task`, `ProcessPoolExecutor`, ...), when `conclens.conceptHovers`
// is on. Detection is the engine's (core/knowledge/concept-at.ts); this file keeps a parsed
// copy of each hovered document, so that a hover never depends on the linter's tree, which
// is re-parsed or disposed on its own schedule.
import * as vscode from 'vscode';
import { PyDocument, type Grammar } from '../core/index';
import { conceptAt } from '../core/knowledge/concept-at';
import { FileModel } from '../core/semantics/model';
import { Resolver } from '../core/semantics/resolve';
import type { HoverSection, HoverSource } from './hover';
import { CHOOSE_MODEL_COMMAND, conceptHoverMarkdown } from './concept-text';
import { isLintableDocument } from './linting';

interface Parsed {
  version: number;
  doc: PyDocument;
  model: FileModel;
  resolver: Resolver;
}

/** Parsed copies kept at once; hovering is local, a handful of recent documents is plenty. */
const KEEP = 4;

export class ConceptHovers implements vscode.Disposable {
  /** By URI, least recently used first. */
  private parsed = new Map<string, Parsed>();

  constructor(
    private readonly grammar: Grammar,
    private readonly enabled: (document: vscode.TextDocument) => boolean,
    private readonly maxFileSize: (document: vscode.TextDocument) => number,
    private readonly freeThreaded: (document: vscode.TextDocument) => boolean = () => false,
  ) {}

  readonly source: HoverSource = (document, position, earlier) => this.section(document, position, earlier);

  private section(document: vscode.TextDocument, position: vscode.Position, earlier: readonly HoverSection[]): HoverSection | undefined {
    if (!isLintableDocument(document) || !this.enabled(document)) return undefined;
    const offset = document.offsetAt(position);
    const parsed = this.parse(document);
    if (!parsed) return undefined;
    const hit = conceptAt(parsed.model, parsed.resolver, offset);
    if (!hit) return undefined;
    const range = new vscode.Range(document.positionAt(hit.span.start), document.positionAt(hit.span.end));
    // A diagnostic here already has a long explanation: only point to the concept.
    const compact = earlier.length > 0;
    return {
      markdown: conceptHoverMarkdown(hit.construct, { compact, freeThreaded: this.freeThreaded(document) }),
      range,
      commands: compact ? [] : [CHOOSE_MODEL_COMMAND],
    };
  }

  private parse(document: vscode.TextDocument): Parsed | undefined {
    const key = document.uri.toString();
    let entry = this.parsed.get(key);
    if (entry && entry.version === document.version) {
      this.parsed.delete(key); // re-insert as most recently used
      this.parsed.set(key, entry);
      return entry;
    }
    const text = document.getText();
    if (text.length > this.maxFileSize(document)) return undefined;
    let doc: PyDocument;
    if (entry) {
      doc = entry.doc;
      doc.setText(text);
    } else {
      doc = new PyDocument(this.grammar, text, key);
    }
    const model = new FileModel(doc.syntax, doc.text);
    entry = { version: document.version, doc, model, resolver: new Resolver(model) };
    this.parsed.delete(key);
    this.parsed.set(key, entry);
    while (this.parsed.size > KEEP) {
      const [oldest, old] = this.parsed.entries().next().value as [string, Parsed];
      old.doc.dispose();
      this.parsed.delete(oldest);
    }
    return entry;
  }

  /** A document closed (or its text is no longer wanted). */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.parsed.get(key)?.doc.dispose();
    this.parsed.delete(key);
  }

  dispose(): void {
    for (const p of this.parsed.values()) p.doc.dispose();
    this.parsed.clear();
  }
}
