// STUB — being written; the shape is the contract.
import type { Finding, Span } from './types';
import type { Settings } from './config/settings';
import { loadGrammar, type Grammar, type GrammarSource } from './parse/grammar';
import { PyDocument } from './parse/document';

export interface LintResult {
  /** Sorted by position. noqa-suppressed findings are removed. */
  findings: Finding[];
  /** Spans of ERROR / MISSING nodes: the file did not fully parse; what parsed was linted. */
  syntaxErrors: Span[];
}

export class Linter {
  private constructor(readonly grammar: Grammar) {}

  static async create(source?: GrammarSource): Promise<Linter> {
    return new Linter(await loadGrammar(source));
  }

  /** Lints a one-off text (CLI). */
  lintText(text: string, filename: string, settings: Settings = {}): LintResult {
    const doc = new PyDocument(this.grammar, text, filename);
    try {
      return this.lintDocument(doc, settings);
    } finally {
      doc.dispose();
    }
  }

  /** Lints a live document (editor); the document keeps its tree for incremental re-parse. */
  lintDocument(doc: PyDocument, settings: Settings = {}): LintResult {
    void doc; void settings;
    return { findings: [], syntaxErrors: [] };
  }
}
