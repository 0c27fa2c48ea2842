// Keeps a PyDocument in step with an editor document so tree-sitter re-parses incrementally.
// Edits are buffered as they arrive and applied in one `update()` (one re-parse) when the
// debounced lint runs; any doubt about the buffer's consistency falls back to a full
// `setText`, which is always correct, only slower.
import type { PyDocument, TextChange } from '../core/index';

/** The parts of `vscode.TextDocumentContentChangeEvent` we use. */
export interface ContentChangeLike {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export function toTextChanges(changes: readonly ContentChangeLike[]): TextChange[] {
  return changes.map((c) => ({ start: c.rangeOffset, deleted: c.rangeLength, text: c.text }));
}

export type SyncKind = 'current' | 'incremental' | 'full';

export class DocumentSync {
  private pending: TextChange[] = [];
  /** Editor version the PyDocument text plus `pending` corresponds to. */
  private pendingVersion: number;
  /** Set when a change event was missed or out of order: only a full re-sync is safe. */
  private lost = false;

  constructor(readonly doc: PyDocument, private syncedVersion: number) {
    this.pendingVersion = syncedVersion;
  }

  get version(): number {
    return this.syncedVersion;
  }

  /** Records one change event; VS Code bumps the version by one per event. */
  onChange(version: number, changes: readonly ContentChangeLike[]): void {
    if (changes.length === 0 || this.lost) return;
    if (version !== this.pendingVersion + 1) {
      this.lost = true;
      this.pending = [];
      return;
    }
    // Within one event VS Code orders the changes so that applying them one after another is
    // correct; PyDocument.update does exactly that.
    this.pending.push(...toTextChanges(changes));
    this.pendingVersion = version;
  }

  /**
   * Brings the PyDocument to `version`. `length` (the editor's text length) catches a buffer
   * that went wrong without reading the whole text; `getText` is only called for a full sync.
   */
  sync(version: number, length: number, getText: () => string): SyncKind {
    let kind: SyncKind = 'current';
    if (!this.lost && this.pendingVersion === version) {
      if (this.pending.length > 0) {
        this.doc.update(this.pending);
        kind = 'incremental';
      }
      if (this.doc.text.length !== length) kind = this.reset(getText);
    } else {
      kind = this.reset(getText);
    }
    this.pending = [];
    this.lost = false;
    this.syncedVersion = this.pendingVersion = version;
    return kind;
  }

  private reset(getText: () => string): SyncKind {
    this.doc.setText(getText());
    return 'full';
  }
}
