// "Concurrency Lens: Choose a Concurrency Model": walks the decision flow of
// core/knowledge/model-guide.ts with quick picks (with a Back button), then shows the
// recommendation and its reason and offers the snippet: inserted at the cursor, or opened
// in a new untitled Python editor. The flow, the texts and the snippets are the engine's.
import * as vscode from 'vscode';
import { CONCEPTS } from '../core/knowledge/concepts';
import { MODEL_GUIDE_DOCS_URL, describeSteps, walkGuide, type GuideQuestion, type GuideRecommendation } from '../core/knowledge/model-guide';
import type { Log } from './log';

export const TITLE = 'Choose a Concurrency Model';
export const INSERT = 'Insert Snippet at Cursor';
export const OPEN_NEW = 'Open Snippet in New Editor';
export const READ_MORE = 'Read the Guide';

type Picked = { answer: number } | 'back' | undefined;

interface AnswerItem extends vscode.QuickPickItem {
  answer: number;
}

function ask(question: GuideQuestion, step: number, canGoBack: boolean): Promise<Picked> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<AnswerItem>();
    pick.title = `${TITLE} (question ${step})`;
    pick.placeholder = question.question;
    pick.items = question.answers.map((a, answer) => ({ label: a.label, detail: a.detail, answer }));
    pick.matchOnDetail = true;
    pick.ignoreFocusOut = true;
    if (canGoBack) pick.buttons = [vscode.QuickInputButtons.Back];
    let result: Picked;
    pick.onDidTriggerButton(() => {
      result = 'back';
      pick.hide();
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (!item) return;
      result = { answer: item.answer };
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}

/** Puts the snippet on its own lines at the cursor: replaces a blank line, else goes below the current one. */
async function insertSnippet(editor: vscode.TextEditor, snippet: string): Promise<boolean> {
  const document = editor.document;
  const line = document.lineAt(editor.selection.active.line);
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const text = snippet.replace(/\n/g, eol);
  const blank = line.isEmptyOrWhitespace;
  const ok = await editor.edit((b) => {
    if (blank) b.replace(line.range, text.replace(/(\r?\n)$/, ''));
    else b.insert(line.range.end, eol + text.replace(/(\r?\n)$/, ''));
  });
  if (ok) {
    const first = blank ? line.lineNumber : line.lineNumber + 1;
    const last = first + snippet.trimEnd().split('\n').length - 1;
    const range = new vscode.Range(first, 0, last, document.lineAt(Math.min(last, document.lineCount - 1)).text.length);
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return ok;
}

async function openInNewEditor(snippet: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'python', content: snippet });
  await vscode.window.showTextDocument(document);
}

/** The text of the recommendation dialog (plain text: dialogs do not render Markdown). */
export function recommendationDetail(rec: GuideRecommendation, path: string): string {
  return `${rec.reason}\n\nYour answers: ${path}.\nBackground: ${CONCEPTS[rec.concept].title}. "${READ_MORE}" shows the whole flow.`;
}

export async function chooseModel(log: Log): Promise<void> {
  // The editor the command was started from; the pickers do not change it.
  const editor = vscode.window.activeTextEditor;
  const answers: number[] = [];
  for (;;) {
    const { node } = walkGuide(answers);
    if (node.kind === 'recommendation') break;
    const picked = await ask(node, answers.length + 1, answers.length > 0);
    if (picked === undefined) return; // dismissed
    if (picked === 'back') answers.pop();
    else answers.push(picked.answer);
  }
  const { at, node, steps } = walkGuide(answers);
  const rec = node as GuideRecommendation;
  const path = describeSteps(steps);
  log.info(`model guide: ${path} -> ${at}`);

  const actions = editor ? [INSERT, OPEN_NEW, READ_MORE] : [OPEN_NEW, READ_MORE];
  const choice = await vscode.window.showInformationMessage(
    `Recommended: ${rec.model} (${rec.api})`,
    { modal: true, detail: recommendationDetail(rec, path) },
    ...actions,
  );
  if (choice === INSERT && editor) {
    // The editor may have been closed meanwhile; the snippet is then opened on its own.
    const inserted = !editor.document.isClosed && (await insertSnippet(editor, rec.snippet).catch(() => false));
    if (!inserted) await openInNewEditor(rec.snippet);
  } else if (choice === OPEN_NEW) {
    await openInNewEditor(rec.snippet);
  } else if (choice === READ_MORE) {
    await vscode.env.openExternal(vscode.Uri.parse(`${MODEL_GUIDE_DOCS_URL}#${at}`));
  }
}
