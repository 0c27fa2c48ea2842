// Code lenses above each `async def` and each function run in a thread, a process or an
// executor (from any file of the workspace index, or of the document itself when it is not
// in a workspace folder): the workload verdict and its evidence ("CPU-bound: nested loops at
// line 12"). Clicking one lists the evidence and the places that run the function; choosing
// an entry reveals it. What gets a lens and what it says is core/semantics/code-lens.ts.
import * as vscode from 'vscode';
import { DispatchIndex, fileLenses, innermost, type FunctionLens, type LensItem, type LensOptions } from '../core/semantics/code-lens';
import type { Config } from './config';
import type { Linting, LintSnapshot } from './linting';
import type { ProjectIndex } from './project-index';
import { resolveFile } from './diagnostics';
import { fileKey } from './eligible';

export const SHOW_WORKLOAD = 'conclens.showWorkload';

/** What a lens passes to its command: plain data. */
export interface WorkloadArgs {
  /** The document the lens is in (other files are named relative to it, or absolutely). */
  uri: string;
  name: string;
  title: string;
  items: LensItem[];
}

function standaloneOptions(snapshot: LintSnapshot): LensOptions {
  const sites = new DispatchIndex();
  sites.set(snapshot.filename, snapshot.sites);
  return { dispatched: sites.byTarget((q) => snapshot.workspace.canonical(q)), holder: (_file, span) => innermost(snapshot.summary.functions, span) };
}

export class CodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly linting: Linting,
    private readonly index: ProjectIndex,
    private readonly config: Config,
  ) {}

  /** Asks VS Code for the lenses again (debounced: lints and index updates come in bursts). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emitter.fire(), 100);
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!this.config.options(document).codeLens) return [];
    const snapshot = await this.linting.snapshot(document);
    if (!snapshot || token.isCancellationRequested || document.isClosed) return [];
    const options = snapshot.standalone ? standaloneOptions(snapshot) : this.index.lensOptions(snapshot, document);
    if (!options) return [];
    const lenses = fileLenses(snapshot.summary.functions.filter((f) => f.file === snapshot.filename), snapshot.workspace, options);
    const max = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
    return lenses
      .filter((l) => l.nameSpan.end <= max)
      .map((l) => {
        const at = document.positionAt(l.nameSpan.start);
        return new vscode.CodeLens(new vscode.Range(at, at), {
          title: l.title,
          tooltip: l.tooltip,
          command: SHOW_WORKLOAD,
          arguments: [argsOf(document.uri, l)],
        });
      });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.emitter.dispose();
  }
}

function argsOf(uri: vscode.Uri, lens: FunctionLens): WorkloadArgs {
  return { uri: uri.toString(), name: lens.name, title: lens.title, items: lens.items };
}

const ICON: Record<LensItem['kind'], string> = {
  cpu: '$(flame)',
  io: '$(cloud-download)',
  'gil-release': '$(zap)',
  'runs-in': '$(run-all)',
};

function baseName(file: string): string {
  return file.replace(/\\/g, '/').split('/').slice(-1)[0];
}

interface EvidencePick extends vscode.QuickPickItem {
  item?: LensItem;
}

/** The command behind a lens: a quick pick of the evidence; the chosen line is revealed. */
export async function showWorkload(arg: unknown): Promise<void> {
  const args = arg as WorkloadArgs | undefined;
  if (!args || !Array.isArray(args.items)) return;
  const base = vscode.Uri.parse(args.uri);
  const picks: EvidencePick[] = args.items.map((item) => ({
    label: `${ICON[item.kind] ?? ''} ${item.text}`.trim(),
    description: `${baseName(item.file)}${item.line ? `:${item.line}` : ''}`,
    detail: item.inFunction ? `in ${item.inFunction.replace(/`/g, '')}` : undefined,
    item,
  }));
  if (picks.length === 0) picks.push({ label: 'No evidence: no loop that computes, blocking call or GIL-releasing call was found' });
  const quickPick = vscode.window.createQuickPick<EvidencePick>();
  quickPick.title = `${args.name}(): ${args.title}`;
  quickPick.placeholder = 'Evidence for the verdict, and where the function runs — choose one to go there';
  quickPick.items = picks;
  quickPick.matchOnDescription = true;
  const chosen = await new Promise<EvidencePick | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]);
      quickPick.hide();
    });
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  if (chosen?.item) await reveal(base, chosen.item);
}

async function reveal(base: vscode.Uri, item: LensItem): Promise<void> {
  const uri = item.file === fileKey(base) ? base : resolveFile(base, item.file);
  const document = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(document.positionAt(item.span.start), document.positionAt(item.span.end));
  await vscode.window.showTextDocument(document, { selection: range, preview: true });
}
