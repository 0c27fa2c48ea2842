// Runs the enabled rules over a parsed document and returns sorted, noqa-filtered findings.
import type { Settings } from './config/settings';
import { isEnabled } from './config/select';
import type { BlockingEntry } from './knowledge/blocking-calls';
import { loadGrammar, type Grammar, type GrammarSource } from './parse/grammar';
import { PyDocument } from './parse/document';
import type { SyntaxTree } from './parse/syntax';
import { allRules } from './rules/index';
import type { DeferredCheck, RuleContext } from './rules/rule';
import { FileModel } from './semantics/model';
import { isSuppressed } from './semantics/noqa';
import { calleeSteps, carryCallees, forgetCallees } from './semantics/origin';
import { Resolver } from './semantics/resolve';
import { summarize, type FileSummary } from './semantics/summary';
import { Workspace } from './semantics/workspace';
import type { Finding, Span } from './types';
import { addDependents, carriedCalls, changedFacts, findUnit, isIncrementalSubject, keptFindings, mergeSummary, sameErrorsOutside, unitRanges, WHOLE_FILE_RULES, type Unit } from './incremental';

export interface LintOptions {
  /** Dotted module name of the file (`pkg.mod`); defaults to `__main__`. */
  moduleName?: string;
  isPackage?: boolean;
  /** The project index; the file's summary is refreshed in it. Without one, the file stands alone. */
  workspace?: Workspace;
  /**
   * The workspace is still being filled (first pass of a project run): keep the checks
   * that need it in `LintResult.pending`, to run with `completeLint` once every file is in.
   */
  deferCrossFile?: boolean;
  /**
   * Called after the rules ran, with the file's model and resolver, so an adapter can derive
   * more from the same parse (the editor's code lenses) without building them again.
   */
  inspect?: (facts: { model: FileModel; resolver: Resolver; workspace: Workspace }) => void;
}

/** What a lint reads of a document: its tree copy, text and name (a PyDocument has them). */
export interface LintSubject {
  readonly syntax: SyntaxTree;
  readonly text: string;
  readonly filename: string;
}

/** Cross-file checks of one file, waiting for the complete workspace. Plain data only. */
export interface PendingChecks {
  checks: DeferredCheck[];
  /** What the checks report goes here (severity applied, into `findings`), before noqa filtering. */
  report: (finding: Omit<Finding, 'severity'>) => void;
  findings: Finding[];
  filter: (findings: Finding[]) => Finding[];
}

export interface LintResult {
  /** Sorted by position. noqa-suppressed findings are removed. */
  findings: Finding[];
  /** Spans of ERROR / MISSING nodes: the file did not fully parse; what parsed was linted. */
  syntaxErrors: Span[];
  /** Set with `deferCrossFile` when some checks wait for the whole project. */
  pending?: PendingChecks;
  /** The file's summary, as stored in the workspace (plain data). */
  summary?: FileSummary;
}

/** Runs a file's pending cross-file checks against the complete workspace. */
export function completeLint(result: LintResult, workspace: Workspace): LintResult {
  const pending = result.pending;
  if (!pending) return result;
  for (const check of pending.checks) check(workspace, pending.report);
  const findings = [...result.findings, ...pending.filter(pending.findings)];
  findings.sort(byPosition);
  return { findings, syntaxErrors: result.syntaxErrors, summary: result.summary };
}

function byPosition(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

function extraBlocking(settings: Settings): Map<string, BlockingEntry> {
  const map = new Map<string, BlockingEntry>();
  for (const ext of settings.extendBlockingCalls ?? []) {
    map.set(ext.name, { code: ext.code || 'CL102', fix: ext.code === 'CL101' ? 'sleep' : 'to-thread' });
  }
  return map;
}

export class Linter {
  private constructor(readonly grammar: Grammar) {}

  static async create(source?: GrammarSource): Promise<Linter> {
    return new Linter(await loadGrammar(source));
  }

  /**
   * Indexes a file without linting it: parses, summarises, and stores the summary in the
   * workspace (first pass of a project-wide run; background indexing in the editor).
   */
  indexText(text: string, filename: string, workspace: Workspace, options: Omit<LintOptions, 'workspace'> = {}): void {
    const doc = new PyDocument(this.grammar, text, filename);
    try {
      const model = new FileModel(doc.syntax, doc.text, options);
      const resolver = new Resolver(model, (q) => workspace.isClass(q, filename));
      workspace.update(summarize(model, resolver, filename));
      options.inspect?.({ model, resolver, workspace });
    } finally {
      doc.dispose();
    }
  }

  /** Lints a one-off text (CLI). */
  lintText(text: string, filename: string, settings: Settings = {}, options: LintOptions = {}): LintResult {
    const doc = new PyDocument(this.grammar, text, filename);
    try {
      return this.lintDocument(doc, settings, options);
    } finally {
      doc.dispose();
    }
  }

  /** Lints a tree read elsewhere (the CLI's parse workers send the arrays of each file's tree). */
  lintSyntax(syntax: SyntaxTree, text: string, filename: string, settings: Settings = {}, options: LintOptions = {}): LintResult {
    return this.lintDocument({ syntax, text, filename }, settings, options);
  }

  /** Lints a live document (editor); the document keeps its tree for incremental re-parse. */
  lintDocument(doc: LintSubject, settings: Settings = {}, options: LintOptions = {}): LintResult {
    const steps = this.lintSteps(doc, settings, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The lint of `lintDocument` in steps: it pauses after reading the tree, after the file
   * model and summary, and after each rule, so a caller can give the event loop a turn
   * between steps (the editor does for large files; see src/extension/slicing.ts). The
   * steps work on a snapshot (the tree copy and text of the document when it started), so
   * edits to the document in between do not disturb them.
   */
  *lintSteps(doc: LintSubject, settings: Settings = {}, options: LintOptions = {}): Generator<string, LintResult, void> {
    const syntax = doc.syntax;
    const text = doc.text;
    // A document linted after each edit keeps what the next lint can reuse (incremental.ts).
    const subject = !options.deferCrossFile && isIncrementalSubject(doc) ? doc : undefined;
    const version = subject?.version ?? 0;
    const memory = subject?.lintMemory;
    if (subject) subject.lintMemory = undefined;
    yield 'read';
    const modelOptions = { moduleName: options.moduleName, isPackage: options.isPackage };
    const model = syntax.count > MODEL_CHUNK ? yield* FileModel.build(syntax, text, modelOptions, MODEL_CHUNK) : new FileModel(syntax, text, modelOptions);
    const workspace = options.workspace ?? memory?.workspace ?? new Workspace();
    // (Classes of other files: this file's last summary may still be in the workspace.)
    const isClass = (q: string) => workspace.isClass(q, doc.filename);
    const errors = model.tree.errorSpans();
    const key = subject ? memoryKey(settings, options) : '';
    // After an edit inside one function whose exports are unchanged: re-analyse it alone.
    let found: Unit | undefined;
    let continuedResolver: Resolver | undefined;
    let why = !subject ? 'not an edited document' : !memory ? 'no earlier lint' : 'settings, module name or workspace changed';
    if (subject && memory && memory.key === key && memory.workspace === workspace && memory.workspaceVersion === workspace.version) {
      const edit = subject.changedSince(memory.version);
      const u = edit ? findUnit(model, memory, edit, memory.model.text, text) : 'no edit';
      why = typeof u === 'string' ? u : 'syntax errors outside the function';
      if (typeof u !== 'string' && sameErrorsOutside(errors, memory.errors, u)) {
        const carried = Resolver.continued(model, isClass, memory.resolver, u.oldId, u.id);
        const names = carried ? changedFacts(model, memory.model, u, carried, memory.resolver) : 'resolver';
        const dependents = typeof names === 'string' ? names : addDependents(model, u, names.names, 'meaning', names.attributes, names.moduleNames);
        why = typeof dependents === 'string' ? dependents : '';
        if (carried && typeof dependents !== 'string') {
          if (dependents.length > 0) {
            // Their code may mean something else now; so may the unit's answers, found
            // while comparing through the dependents' old ones.
            for (const d of dependents) carried.forget(d.id);
            carried.forget(u.id);
          }
          found = u;
          continuedResolver = carried;
        }
      }
    }
    const resolver = continuedResolver ?? new Resolver(model, isClass);
    yield 'model';
    let unit: Unit | undefined;
    let kept: Finding[] | undefined;
    let summary: FileSummary | undefined;
    if (found) {
      const ranges = unitRanges(found);
      const merged = mergeSummary(memory!.summary, summarize(model.within(ranges), resolver, doc.filename), model, memory!.model, found, (q) => workspace.leadsSomewhere(q));
      // Code that calls a function whose summary changed is re-analysed too (its summary
      // is the same: the chains through it are not).
      let callers = typeof merged === 'string' ? merged : addDependents(model, found, merged.changed, 'callers');
      if (typeof merged !== 'string' && typeof callers !== 'string' && merged.changedCoroutines.length > 0) callers = addDependents(model, found, merged.changedCoroutines, 'direct callers');
      const still = typeof callers === 'string' ? undefined : keptFindings(memory!.local, found);
      why = typeof callers === 'string' ? callers : still ? '' : 'kept findings';
      if (still && typeof merged !== 'string') {
        unit = found;
        summary = merged.summary;
        kept = still;
      }
    }
    if (!summary) {
      // (Resolving every call first, in steps: on a large file that is most of the summary's work.)
      yield* calleeSteps(model, resolver, CALLEE_CHUNK);
      summary = summarize(model, resolver, doc.filename);
    }
    workspace.update(summary);
    yield 'summary';
    const pending = options.deferCrossFile ? pendingChecks(settings) : undefined;
    // Findings of the rules in WHOLE_FILE_RULES, and of the others (what the next lint keeps).
    const whole: Finding[] = [];
    let local: Finding[] = [];
    let sink = local;
    const context = (m: FileModel): RuleContext => {
      const ctx: RuleContext = {
        model: m,
        resolver,
        settings,
        workspace,
        file: doc.filename,
        extraBlocking: extraBlocking(settings),
        memo: new Map(),
        report: (f) => sink.push(withSeverity(f, settings)),
        defer: (check) => {
          if (pending) pending.checks.push(check);
          else check(workspace, ctx.report);
        },
      };
      return ctx;
    };
    const full = context(model);
    const ranges = unit ? unitRanges(unit) : [];
    const restricted = unit ? context(model.within(ranges)) : full;
    if (unit && memory?.callees) {
      // The rules that look at every call of the file take the last lint's callees outside the re-analysed code.
      const from = carriedCalls(model, memory.model, unit);
      if (from) carryCallees(model, resolver, memory.callees, from);
    }
    // (In a free-threaded build threads do compute in parallel: no CL301.)
    const rules = allRules.filter((r) => isEnabled(r.meta.code, settings) && !(settings.freeThreaded && r.meta.code === 'CL301'));
    for (const rule of rules) {
      const isWhole = WHOLE_FILE_RULES.has(rule.meta.code);
      sink = isWhole ? whole : local;
      rule.check(isWhole ? full : restricted);
      yield rule.meta.code;
    }
    if (unit) {
      if (local.some((f) => !ranges.some((r) => f.span.start >= r.start && f.span.end <= r.end))) {
        // A finding of the unit's code reported outside it: not one this lint can place
        // among the kept ones. Run those rules over the whole file.
        local = sink = [];
        for (const rule of rules) if (!WHOLE_FILE_RULES.has(rule.meta.code)) rule.check(full);
        kept = undefined;
        why = 'a finding outside the ranges';
      }
    }
    if (kept) local = [...kept, ...local];
    options.inspect?.({ model, resolver, workspace });
    const callees = model.calleeTable?.resolver === resolver ? model.calleeTable.callees : undefined;
    forgetCallees(model);
    const noqa = model.noqa;
    const filter = noqaFilter(noqa, text);
    const findings = filter(whole.length ? [...local, ...whole] : local);
    findings.sort(byPosition);
    const result: LintResult = { findings, syntaxErrors: errors, summary };
    if (pending?.checks.length) {
      pending.filter = filter;
      result.pending = pending;
    }
    if (subject) {
      subject.lintMemory = { version, key, workspace, workspaceVersion: workspace.version, model, resolver, summary, local, errors, callees };
      // The last lint's model is read by nothing now (its summary, findings and resolver
      // answers, which this lint kept, are plain data).
      memory?.model.release();
    }
    this.lastUnit = unit;
    this.lastWhy = unit ? undefined : why;
    return result;
  }

  /** The unit the last lint re-analysed alone (undefined: it linted the whole file). For tests and the bench. */
  lastUnit?: Unit;
  /** Why the last lint linted the whole file (undefined: it re-analysed a unit). For tests and the bench. */
  lastWhy?: string;
}

/**
 * Steps of a lint of a large file (the editor gives the event loop a turn between steps):
 * nodes per step of the model's pass (~10–20 ms), calls resolved per step before the
 * summary (~5–15 ms while the code is cold).
 */
const MODEL_CHUNK = 200_000;
const CALLEE_CHUNK = 1000;

/** What must be equal for a lint to reuse the last one's results. */
function memoryKey(settings: Settings, options: LintOptions): string {
  return JSON.stringify([settings, options.moduleName ?? '', options.isPackage ?? false]);
}

const ruleSeverity = new Map(allRules.map((r) => [r.meta.code, r.meta.severity]));

/** The finding with its severity: the configured one, else the rule's. */
function withSeverity(f: Omit<Finding, 'severity'>, settings: Settings): Finding {
  return { ...f, severity: settings.severity?.[f.code] ?? ruleSeverity.get(f.code) ?? 'warning' };
}

/**
 * Where a file's deferred checks report: made outside lintSteps so that it keeps only the
 * settings and its own list alive, not the file's model (see RuleContext.defer).
 */
function pendingChecks(settings: Settings): PendingChecks {
  const findings: Finding[] = [];
  return {
    checks: [],
    findings,
    filter: (f) => f,
    report: (f) => findings.push(withSeverity(f, settings)),
  };
}

/** Drops the findings a noqa comment suppresses (module-level: kept by pending checks, it must not hold the model). */
function noqaFilter(noqa: FileModel['noqa'], text: string): (list: Finding[]) => Finding[] {
  return (list) => (noqa.size === 0 ? list : list.filter((f) => !isSuppressed(noqa, rowsOf(text, f.span), f.code)));
}

/** The rows a finding starts and ends on: a noqa on either suppresses it. */
function rowsOf(text: string, span: Span): number[] {
  let row = 0;
  let i = text.indexOf('\n');
  while (i !== -1 && i < span.start) {
    row++;
    i = text.indexOf('\n', i + 1);
  }
  const startRow = row;
  while (i !== -1 && i < span.end) {
    row++;
    i = text.indexOf('\n', i + 1);
  }
  return row === startRow ? [startRow] : [startRow, row];
}
