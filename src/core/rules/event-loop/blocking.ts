// The analysis behind CL101–CL107 and CL110: every call (and `with` on a thread lock) that
// runs on the event loop and that the catalogue says blocks. Computed once per file and
// shared by the rules, which each report their own code.
import type { Node } from '../../parse/syntax';
import { LOCK_TYPES, lookupBlocking, type BlockingEntry } from '../../knowledge/blocking-calls';
import { awaitInsteadFix, sleepFix, subprocessFix, toThreadFix, wrapFutureFix, type FixOrReason } from '../../fixes/rewrite';
import { runsOnEventLoop } from '../../semantics/event-loop';
import type { Finding, RuleMeta } from '../../types';
import { memoised, type Rule, type RuleContext } from '../rule';

export interface BlockingSite {
  node: Node;
  qname: string;
  entry: BlockingEntry;
  form: 'call' | 'with';
  evidence?: string;
}

const WRAP_FILE = new Set(['trio.wrap_file', 'anyio.wrap_file']);

function isFalse(node: Node | null | undefined): boolean {
  return node?.type === 'false' || (node?.type === 'integer' && node.text === '0');
}

/** `q.get(block=False)`, `lock.acquire(False)`: the non-blocking forms. */
function nonBlockingForm(call: Node, flag: { keyword: string; pos: number }): boolean {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return false;
  let pos = 0;
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      if (a.childForFieldName('name')?.text === flag.keyword && isFalse(a.childForFieldName('value'))) return true;
      continue;
    }
    if (pos === flag.pos && isFalse(a)) return true;
    pos++;
  }
  return false;
}

function callSite(ctx: RuleContext, call: Node): BlockingSite | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const sym = ctx.resolver.resolve(fn);
  let hit = sym?.kind === 'name' ? lookupBlocking(sym.qname, ctx.extraBlocking) : undefined;
  if (!hit && fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'run_until_complete') {
    // Whatever the receiver, only an event loop has run_until_complete.
    hit = lookupBlocking('asyncio.AbstractEventLoop.run_until_complete');
  }
  if (!hit) return undefined;
  // `await open(...)`: the author believes this `open` is async (a star import or a runtime
  // rebinding we cannot see); the builtin would fail at the await anyway.
  if (call.parent?.type === 'await' && hit.name.startsWith('builtins.')) return undefined;
  if (hit.entry.nonBlockingFlag && nonBlockingForm(call, hit.entry.nonBlockingFlag)) return undefined;
  // trio.wrap_file(open(...)) is those libraries' documented way to get an async file.
  const parentCall = call.parent?.type === 'argument_list' ? call.parent.parent : null;
  if (parentCall?.type === 'call' && WRAP_FILE.has(ctx.resolver.qualifiedName(parentCall.childForFieldName('function')) ?? '')) return undefined;
  return { node: call, qname: hit.name, entry: hit.entry, form: 'call', evidence: sym?.kind === 'name' ? sym.evidence : undefined };
}

function withSite(ctx: RuleContext, item: Node): BlockingSite | undefined {
  if (item.parent?.parent?.type !== 'with_statement' || item.parent.parent.child(0)?.type === 'async') return undefined;
  let value = item.childForFieldName('value');
  if (value?.type === 'as_pattern') value = value.firstNamedChild;
  if (!value || value.type === 'call') return undefined; // calls are reported as calls
  const sym = ctx.resolver.resolve(value);
  if (sym?.kind !== 'instance' || !LOCK_TYPES.has(sym.type)) return undefined;
  return {
    node: value,
    qname: `${sym.type}.__enter__`,
    entry: {
      code: 'CL107',
      fix: 'none',
      instead: 'asyncio.Lock',
      noFixBecause: '`with` acquires the lock on the calling thread and must release it there; use an asyncio.Lock if only coroutines share it, or move the locked section into a function run with asyncio.to_thread',
    },
    form: 'with',
    evidence: sym.evidence,
  };
}

export function blockingSites(ctx: RuleContext): BlockingSite[] {
  return memoised(ctx, 'blocking-sites', () => {
    const sites: BlockingSite[] = [];
    const { model } = ctx;
    if (!model.hasAsyncDef) return sites;
    const found: BlockingSite[] = [];
    const ids = new Set<number>();
    for (const call of model.calls) {
      if (!runsOnEventLoop(model, call)) continue;
      const site = callSite(ctx, call);
      if (!site) continue;
      found.push(site);
      ids.add(call.id);
    }
    for (const site of found) {
      // `urlopen(u).read()`: the receiver is reported; one finding per chain.
      const fn = site.node.childForFieldName('function');
      const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      if (receiver && ids.has(receiver.id)) continue;
      sites.push(site);
    }
    for (const item of model.withItems) {
      if (!runsOnEventLoop(model, item)) continue;
      const site = withSite(ctx, item);
      if (site) sites.push(site);
    }
    return sites;
  });
}

function isWithItemCall(node: Node): boolean {
  let p = node.parent;
  if (p?.type === 'as_pattern') p = p.parent;
  return p?.type === 'with_item';
}

/** The fix for a blocking site, or why there is none. */
export function fixFor(ctx: RuleContext, site: BlockingSite): FixOrReason {
  const { entry, node } = site;
  if (entry.noFixBecause) return { noFixReason: entry.noFixBecause };
  if (site.form === 'with') return {};
  if (isWithItemCall(node)) {
    return {
      noFixReason:
        'the `with` block goes on to use what this call opened, and those uses block as well; move the whole `with` block into a plain function and run it with `await asyncio.to_thread(...)`',
    };
  }
  if (entry.code === 'CL110') return awaitInsteadFix(node, site.qname);
  switch (entry.fix) {
    case 'sleep':
      return sleepFix(ctx.model, node, entry);
    case 'to-thread':
      return toThreadFix(ctx.model, node, entry);
    case 'subprocess':
      return subprocessFix(ctx.model, node, site.qname, entry);
    case 'wrap-future':
      return wrapFutureFix(ctx.model, node, site.qname, entry);
    case 'none':
      return {};
  }
}

function qualifiedDisplay(qname: string): string {
  return qname.startsWith('builtins.') ? qname.slice('builtins.'.length) : qname;
}

/** How a message names the call: as written, plus what it resolved to when that differs (`t.sleep()` (`time.sleep`)). */
export function displayName(site: BlockingSite): string {
  const qualified = qualifiedDisplay(site.qname);
  const fn = site.form === 'call' ? site.node.childForFieldName('function') : null;
  const written = fn ? fn.text.replace(/\s+/g, '') : '';
  if (!written || written === qualified || written.length > 40) return `\`${qualified}()\``;
  return `\`${written}()\` (\`${qualified}\`)`;
}

/** Builds a rule that reports the blocking sites of one code. */
export function blockingRule(meta: RuleMeta, message: (site: BlockingSite) => string): Rule {
  return {
    meta,
    check(ctx) {
      for (const site of blockingSites(ctx)) {
        if (site.entry.code !== meta.code) continue;
        const { fix, noFixReason } = fixFor(ctx, site);
        const finding: Omit<Finding, 'severity'> = {
          code: meta.code,
          message: message(site),
          span: { start: site.node.startIndex, end: site.node.endIndex },
        };
        if (fix) finding.fix = fix;
        if (noFixReason) finding.noFixReason = noFixReason;
        else if (fix?.applicability === 'unsafe' && site.entry.unsafeBecause) finding.noFixReason = `The fix is marked unsafe: ${site.entry.unsafeBecause}.`;
        if (site.evidence) finding.evidence = [site.evidence];
        if (site.entry.instead) finding.suggestion = site.entry.instead;
        ctx.report(finding);
      }
    },
  };
}
