// Regressions the fuzzer found that a fixture cannot state (fixture marks say which codes
// are reported, not what a fix writes or whether one is offered).
import { strict as assert } from 'node:assert';
import { applyEdits } from '../../src/core/text';
import { indentLines } from '../../src/core/fixes/wrap';
import { BROKEN_CODE_REASON, errorSpans, withoutFixesInBrokenCode } from '../../src/core/fixes/broken';
import { PyDocument } from '../../src/core/parse/document';
import type { DeferredCheck, Rule, RuleContext } from '../../src/core/rules/rule';
import { Workspace } from '../../src/core/semantics/workspace';
import type { Finding } from '../../src/core/types';
import { parseErrors } from '../fuzz/properties';
import { getLinter } from './helpers';

const HEAD = 'import asyncio\nimport requests\n\n\nasync def fetch(url):\n';

describe('fuzz regressions', () => {
  it('a call with a syntax error in it gets no rewrite (it would copy the broken text), and says why', async () => {
    const linter = await getLinter();
    let seen = 0;
    for (const call of ['requests.get(url, ;)', 'requests.get(url, timeout=5', 'requests.get(url,, 5)']) {
      const r = linter.lintText(`${HEAD}    return ${call}\n`, 'a.py');
      const f = r.findings.find((x) => x.code === 'CL102');
      if (!f) continue; // error recovery may not even see a call
      seen++;
      assert.equal(f.fix, undefined, call);
      assert.match(f.noFixReason ?? '', /syntax error/, call);
    }
    assert.ok(seen >= 2, `only ${seen} of the broken calls were reported`);
  });

  it('the to_thread rewrite keeps a trailing comment on its own line, before the closing parenthesis', async () => {
    const linter = await getLinter();
    const text = `${HEAD}    return requests.get(\n        url,\n        timeout=5,  # seconds\n    )\n`;
    const f = linter.lintText(text, 'a.py').findings.find((x) => x.code === 'CL102');
    assert.ok(f?.fix);
    const fixed = applyEdits(text, f.fix.edits);
    assert.match(fixed, /await asyncio\.to_thread\(requests\.get, url,\n {8}timeout=5, {2}# seconds\n\)/);
    assert.equal(parseErrors(linter, fixed), 0);
  });

  it('CL401: no main-guard fix in a module with a syntax error (the wrap took in what error recovery hid, and the finding came back)', async () => {
    const linter = await getLinter();
    const text = (last: string) => `import multiprocessing as mp\n\n\ndef work():\n    return 1\n\n\np = mp.Process(target=work)\np.start()\n${last}\n`;
    const broken = linter.lintText(text('print(1 +)'), 'a.py').findings.find((f) => f.code === 'CL401');
    assert.ok(broken, 'CL401 is still reported');
    assert.equal(broken.fix, undefined);
    assert.match(broken.noFixReason ?? '', /syntax error/);
    const valid = linter.lintText(text('print(1)'), 'a.py').findings.find((f) => f.code === 'CL401');
    assert.ok(valid?.fix, 'the valid module gets the fix');
  });

  it('CL401: thousands of import-time calls (a 1 MB line of them) cost one pass, not one per call', async () => {
    const linter = await getLinter();
    // Each call was a candidate whose fix scanned every statement after it: 70,000 calls on one
    // line ran for minutes.
    const head = 'import multiprocessing as mp\nimport time\n\n\ndef work():\n    return 1\n\n\n';
    const text = `${head}mp.Process(target=work).start()\n${'time.sleep(0); '.repeat(50_000)}\n`;
    const started = performance.now();
    const findings = linter.lintText(text, 'a.py').findings.filter((f) => f.code === 'CL401');
    const ms = performance.now() - started;
    assert.equal(findings.length, 1);
    assert.ok(findings[0].fix, 'the guard fix is still offered');
    assert.equal(findings[0].fix.edits[0].start, head.length);
    assert.equal(findings[0].fix.edits[0].end, text.lastIndexOf(')') + 1);
    assert.ok(ms < 6000, `took ${ms.toFixed(0)} ms`);
  });

  it('a loop body nested 10,000 deep (brackets, subscripts, unary minus in range()) does not overflow the stack of the workload scan', async () => {
    const linter = await getLinter();
    const loop = (body: string, bound = '10**7') => `import asyncio\n\n\nasync def handler(a, b):\n    total = 0\n    for i in range(${bound}):\n        ${body}\n    return total\n`;
    for (const [shape, text] of [
      ['subscripts', loop(`total += a${'[b'.repeat(10_000)}${']'.repeat(10_000)}`)],
      ['parens', loop(`total += ${'('.repeat(10_000)}i${')'.repeat(10_000)}`)],
      ['unary minus in range()', loop('total += i * i', `${'-'.repeat(10_000)}1`)],
    ]) {
      assert.doesNotThrow(() => linter.lintText(text, 'a.py'), shape);
    }
  });

  it('CL303: no rewrite when the locked statements have a syntax error (a tab-indented `finally:` cut off from its `try`; the rewrite left it empty)', async () => {
    const linter = await getLinter();
    // Tree-sitter counts a tab as 8 columns: `\tfinally:` sits in the `try` body, not after it.
    const text = 'import threading\n\naudit_lock = threading.Lock()\ninventory = {}\n\n\ndef restock(item, quantity):\n    audit_lock.acquire()\n    try:\n        inventory[item] = quantity\n\tfinally:\n        audit_lock.release()\n\n\ndef other(';
    const f = linter.lintText(text, 'a.py').findings.find((x) => x.code === 'CL303');
    if (f) {
      assert.equal(f.fix, undefined);
      assert.match(f.noFixReason ?? '', /syntax error/);
    }
  });

  it('re-indenting moves every line by the same amount under tab stops, tab size 1 and tree-sitter alike', () => {
    const columns = (ws: string, tab: 'stop8' | 'one' | 'ts') => {
      let col = 0;
      for (const c of ws) col = c === '\t' ? (tab === 'stop8' ? col + 8 - (col % 8) : tab === 'one' ? col + 1 : col + 8) : col + 1;
      return col;
    };
    const block = '    a = 1\n\tb = 2\n  \tc = 3\n\t    d = 4\n\n        e = 5\n';
    for (const unit of ['    ', '\t', '  ']) {
      const out = indentLines(block, unit).split('\n');
      const lines = block.split('\n');
      for (const tab of ['stop8', 'one', 'ts'] as const) {
        const shifts = new Set(
          lines.flatMap((l, i) => (l.trim() ? [columns(/^[ \t]*/.exec(out[i])![0], tab) - columns(/^[ \t]*/.exec(l)![0], tab)] : [])),
        );
        assert.equal(shifts.size, 1, `unit ${JSON.stringify(unit)}, tabs as ${tab}: shifts ${[...shifts]}`);
      }
      assert.equal(out[4], '', 'blank lines stay blank');
    }
  });

  it('a finding inside an ERROR node keeps its message but loses its fix, with the reason (fuzz seed 1 case 5645: an await rewrite in a broken coroutine)', async () => {
    const linter = await getLinter();
    const text = 'import time\n\n\nasync def g():\n    time.sleep(2)\n\n\nasync def f():\n    x = (\n    time.sleep(1)\n';
    const doc = new PyDocument(linter.grammar, text, 'a.py');
    try {
      const errors = errorSpans(doc.syntax);
      assert.ok(errors.length > 0);
      const inside = text.indexOf('time.sleep(1)');
      const outside = text.indexOf('time.sleep(2)');
      assert.ok(errors.some((e) => e.start <= inside && inside + 13 <= e.end), 'the first call sits in the ERROR node');
      assert.ok(!errors.some((e) => e.start <= outside && outside < e.end));
      const fake: Rule = {
        meta: { code: 'CL101' } as Rule['meta'],
        check(ctx) {
          for (const at of [inside, outside]) {
            ctx.report({ code: 'CL101', message: 'm', span: { start: at, end: at + 13 }, fix: { title: 't', applicability: 'safe', edits: [{ start: at, end: at, content: 'await ' }] } });
          }
        },
      };
      const reported: Omit<Finding, 'severity'>[] = [];
      const ctx = { model: { tree: doc.syntax }, memo: new Map(), report: (f: Omit<Finding, 'severity'>) => reported.push(f) } as unknown as RuleContext;
      withoutFixesInBrokenCode(fake).check(ctx);
      assert.equal(reported.length, 2);
      assert.equal(reported[0].fix, undefined);
      assert.equal(reported[0].noFixReason, BROKEN_CODE_REASON);
      assert.ok(reported[1].fix);
      // The same for what a deferred check reports (after the file's tree is gone, in a project run).
      const deferring: Rule = {
        meta: { code: 'CL109' } as Rule['meta'],
        check(c) {
          for (const at of [inside, outside]) {
            const finding = { code: 'CL109', message: 'm', span: { start: at, end: at + 13 }, fix: { title: 't', applicability: 'safe' as const, edits: [{ start: at, end: at, content: 'await ' }] } };
            c.defer((_ws, report) => report(finding));
          }
        },
      };
      const checks: DeferredCheck[] = [];
      const later: Omit<Finding, 'severity'>[] = [];
      const deferCtx = { model: { tree: doc.syntax }, memo: new Map(), report: () => assert.fail('reported at once'), defer: (check: DeferredCheck) => checks.push(check) } as unknown as RuleContext;
      withoutFixesInBrokenCode(deferring).check(deferCtx);
      for (const check of checks) check(new Workspace(), (f) => later.push(f));
      assert.equal(later.length, 2);
      assert.equal(later[0].fix, undefined);
      assert.equal(later[0].noFixReason, BROKEN_CODE_REASON);
      assert.ok(later[1].fix);
    } finally {
      doc.dispose();
    }
  });
});
