// A project run keeps each file's deferred cross-file checks until every file is indexed.
// They must keep plain data only: if one of them (or the noqa filter, or the report sink)
// held the rule context, the file's whole model and syntax tree would stay in memory until
// the end of the run (331 of the standard library's 559 files defer a check: 40 MB of heap
// and 35 MB of tree arrays held at once before this was fixed).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { completeLint, type LintResult } from '../../src/core/linter';
import { PyDocument } from '../../src/core/parse/document';
import type { FileModel } from '../../src/core/semantics/model';
import { Workspace } from '../../src/core/semantics/workspace';
import { FIXTURES, getLinter, listFiles } from './helpers';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('deferred cross-file checks', () => {
  it('keep neither the model nor the syntax tree of their file alive', async () => {
    const linter = await getLinter();
    const workspace = new Workspace();
    // (In a function of its own: a suspended async function can keep the last file's
    // objects in its registers.)
    const held = lintHoldingPending(linter, workspace);
    // Every rule that defers a check is among them (the fixtures have a case of each).
    const codes = new Set<string>();
    assert.ok(held.length >= 10, `${held.length} files with deferred checks`);
    // (A WeakRef keeps its target until the end of the job that made it.)
    // Collected within a few turns of the event loop (something of the test harness can
    // hold the latest objects for a turn or two); a check holding its file's model keeps it
    // however long we wait.
    const stillHeld = () => held.filter((h) => h.model.deref() !== undefined || h.tree.deref() !== undefined).map((h) => h.file);
    for (let round = 0; round < 5 && (round < 2 || stillHeld().length > 0); round++) {
      await turn();
      gc();
    }
    const alive = stillHeld();
    assert.deepEqual(alive, [], 'models still reachable from a result with pending checks');
    // And the checks still work without them.
    for (const h of held) for (const f of completeLint(h.result, workspace).findings) codes.add(f.code);
    for (const code of ['CL108', 'CL109', 'CL201', 'CL301', 'CL401', 'CL403']) assert.ok(codes.has(code), `a deferred ${code} was reported`);
  });

  it("an edited document keeps no earlier lint's tree alive (the resolver answers carried between incremental lints)", async () => {
    const linter = await getLinter();
    // Methods that resolve `self.x`: their answers are carried from lint to lint.
    // (A `with` item is resolved by a rule that looks at one place at a time: after the first
    // lint, only the edited method's are resolved again.)
    const methods = Array.from({ length: 12 }, (_, i) => `    async def m${i}(self):\n        with self.lock:\n            self.x${i} = ${i}\n        return self.x${i}\n`).join('\n');
    const text = `import threading\n\nclass Client:\n    def __init__(self):\n        self.lock = threading.Lock()\n\n${methods}`;
    const trees = lintEdited(linter, text);
    for (let round = 0; round < 5; round++) {
      await turn();
      gc();
    }
    const alive = trees.map((t, i) => (t.deref() ? i : -1)).filter((i) => i >= 0);
    // The document's own tree (the last) may stay; none before it.
    assert.ok(alive.every((i) => i === trees.length - 1), `trees of lints ${alive.join(', ')} of ${trees.length} still reachable`);
  });

  it('report with the configured severity', async () => {
    const linter = await getLinter();
    const workspace = new Workspace();
    const files = listFiles(join(FIXTURES, 'projects'), '.py');
    const results = files.map((file) => linter.lintText(readFileSync(file, 'utf8'), file, { select: ['ALL'], severity: { CL109: 'info' } }, { workspace, deferCrossFile: true }));
    const deferred = results.flatMap((r) => (r.pending ? completeLint(r, workspace).findings.filter((f) => !r.findings.includes(f)) : []));
    const cl109 = deferred.filter((f) => f.code === 'CL109');
    assert.ok(cl109.length > 0, 'the project fixtures have a deferred CL109');
    for (const f of cl109) assert.equal(f.severity, 'info');
  });
});

/** Lints `text`, then after each of 30 edits inside one method (incremental lints); WeakRefs to each lint's tree. */
function lintEdited(linter: Awaited<ReturnType<typeof getLinter>>, text: string): WeakRef<object>[] {
  const doc = new PyDocument(linter.grammar, text, 'client.py');
  const trees: WeakRef<object>[] = [];
  const inspect = (facts: { model: FileModel }) => trees.push(new WeakRef(facts.model.tree));
  linter.lintDocument(doc, { select: ['ALL'] }, { inspect });
  let at = text.indexOf('self.x3 =') + 'self.x3'.length;
  let incremental = 0;
  for (let i = 0; i < 30; i++) {
    doc.update([{ start: at, deleted: 0, text: 'q' }]);
    at++;
    linter.lintDocument(doc, { select: ['ALL'] }, { inspect });
    if (linter.lastUnit) incremental++;
  }
  assert.ok(incremental >= 25, `${incremental} of 30 lints incremental`);
  doc.dispose();
  return trees;
}

type Held = { file: string; result: LintResult; model: WeakRef<FileModel>; tree: WeakRef<object> };

function lintHoldingPending(linter: Awaited<ReturnType<typeof getLinter>>, workspace: Workspace): Held[] {
  const held: Held[] = [];
  for (const file of listFiles(FIXTURES, '.py')) {
    let model: FileModel | undefined;
    const result = linter.lintText(readFileSync(file, 'utf8'), file, { select: ['ALL'] }, { workspace, deferCrossFile: true, inspect: (facts) => (model = facts.model) });
    if (result.pending && model) held.push({ file, result, model: new WeakRef(model), tree: new WeakRef(model.tree) });
  }
  // One more file, without pending checks: whatever keeps the latest lint's objects for a
  // while (a cache of the last text, V8's own bookkeeping) lets go of the held ones. A
  // check that holds its file's model keeps it whatever comes after.
  linter.lintText('x = 1\n', 'last.py', { select: ['ALL'] }, { workspace, deferCrossFile: true });
  return held;
}
