// Incremental lints (src/core/incremental.ts): after an edit inside one function, a
// document re-analyses that function alone and keeps the rest of its last lint. Whatever
// path a lint takes, its result must be a full lint's: these tests edit documents in seeded
// sessions and compare every lint with a full lint of the same tree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importReadByFixes } from '../../src/core/fixes/imports';
import { moduleNameOf } from '../../src/core/semantics/model';
import type { Unit } from '../../src/core/incremental';
import type { Linter, LintResult } from '../../src/core/linter';
import { PyDocument } from '../../src/core/parse/document';
import { Workspace } from '../../src/core/semantics/workspace';
import type { Settings } from '../../src/core/config/settings';
import { FIXTURES, getLinter, listFiles, random } from './helpers';

interface Change {
  start: number;
  deleted: number;
  text: string;
}

/** Names the edits swap in: calls that block, primitives, locks, known modules, names fixes add. */
const WORDS = ['time', 'sleep', 'requests', 'asyncio', 'threading', 'Lock', 'self', 'loop', 'run', 'submit', 'await', 'global', 'os', '_lock', '_background_tasks', 'Thread', 'target', 'create_task', 'gather', 'x'];

/** One edit of the kinds people make: type or delete in a name, swap a name, add to a line. */
function randomChange(text: string, rnd: () => number): Change {
  const names = [...text.matchAll(/[A-Za-z_][A-Za-z_0-9]*/g)];
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const name = pick(names);
  const at = (name?.index ?? 0) + Math.floor(rnd() * ((name?.[0].length ?? 0) + 1));
  const kind = rnd();
  if (!name || kind < 0.35) return { start: at, deleted: 0, text: pick(['q', 'x', '_', '1']) };
  if (kind < 0.5) return { start: name.index!, deleted: 1, text: '' };
  if (kind < 0.75) return { start: name.index!, deleted: name[0].length, text: pick(WORDS) };
  if (kind < 0.85) {
    // A statement added at the end of a line (same line: the line numbers stay).
    const eol = text.indexOf('\n', at);
    const stmt = pick(['; time.sleep(1)', '; self.lock = threading.Lock()', '; global counter', '; counter = 1', '; asyncio.create_task(work())', '; import os', '  # noqa', '  # noqa: CL101']);
    return { start: eol === -1 ? text.length : eol, deleted: 0, text: stmt };
  }
  if (kind < 0.92) return { start: at, deleted: 0, text: pick(['(', ')', ':', '"', "'''", '\n', '\n    ', 'async ']) };
  return { start: at, deleted: Math.min(3, text.length - at), text: '' };
}

/**
 * Small functions that mention nothing the tests follow: they keep the dependents a test
 * expects a small share of its file (see MAX_DEPENDENT_SHARE). One text each, ending in `\n`.
 */
function fillers(count: number, body: 'comprehension' | 'loop' = 'comprehension'): string[] {
  const lines = body === 'loop' ? '    total = 0\n    for item in items:\n        total += len(str(item))\n    return total\n' : '    return [len(str(item)) for item in items]\n';
  return Array.from({ length: count }, (_, i) => `def filler_${i}(items):\n${lines}`);
}

/**
 * A module made to exercise what crosses functions: module functions, nested ones, classes
 * with bases, decorators and statements outside their methods that mention functions,
 * `global`, a factory with a return annotation, coroutines with annotated parameters, an
 * attribute holding an instance.
 */
function chainsModule(rnd: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const F = ['f0', 'f1', 'f2', 'f3', 'f4'];
  const C = ['C0', 'C1', 'C2', 'C3'];
  const M = ['m0', 'm1', 'm2'];
  const call = () => pick([() => `${pick(F)}()`, () => `${pick(C)}().${pick(M)}()`, () => `make().${pick(M)}()`, () => 'time.sleep(1)', () => 'x = 1', () => `h = ${pick(F)}`])();
  const out = ['import time', 'import asyncio', 'DEBUG = False', 'state = None', ''];
  for (const f of F) {
    out.push(`def ${f}():`);
    if (rnd() < 0.2) out.push('    global state', `    state = ${pick(F)}()`);
    if (rnd() < 0.3) out.push('    def inner():', `        ${call()}`, '    inner()');
    for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) out.push(`    ${call()}`);
    out.push('');
  }
  for (const c of C) {
    const base = rnd() < 0.5 ? `(${pick(C.filter((x) => x < c).concat(['object']))})` : '';
    if (rnd() < 0.2) out.push('@registered');
    out.push(`class ${c}${base}:`);
    if (rnd() < 0.4) out.push('    if DEBUG:', `        hook = ${pick(F)}`);
    if (rnd() < 0.3) out.push(`    attr = ${pick(F)}`);
    for (const m of M) {
      if (rnd() < 0.3) continue;
      if (rnd() < 0.2) out.push(`    @${pick(['staticmethod', 'property', 'classmethod', 'functools.cache'])}`);
      out.push(`    def ${m}(self):`);
      for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) out.push(`        ${pick([call, () => `self.${pick(M)}()`, () => `self.k = ${pick(C)}()`, () => `self.k.${pick(M)}()`, () => `super().${pick(M)}()`])()}`);
    }
    out.push('    pass', '');
  }
  out.push(`def make() -> ${pick(C)}:`, `    return ${pick(C)}()`, '');
  for (let a = 0; a < 3; a++) {
    out.push(`async def a${a}(c: ${pick(C)}):`);
    for (let k = 0; k < 2; k++) out.push(`    ${pick([call, () => `c.${pick(M)}()`, () => 'await asyncio.sleep(0)'])()}`);
    out.push('');
  }
  out.push('class Service:', '    def __init__(self):', `        self.k = ${pick(C)}()`, '', '    async def run(self):', `        self.k.${pick(M)}()`, '');
  out.push(...fillers(10));
  return out.join('\n');
}

/** Edits of chainsModule's code: a call that blocks added or removed, a name typed into or swapped. */
function chainsChange(text: string, rnd: () => number): Change {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const kind = rnd();
  if (kind < 0.35) {
    const line = pick([...text.matchAll(/^( +)\S/gm)]);
    return { start: line.index! + line[1].length, deleted: 0, text: pick(['time.sleep(1); ', 'x = 1; ', 'asyncio.sleep(1); ']) };
  }
  const blocking = text.indexOf('time.sleep(1); ');
  if (kind < 0.5 && blocking >= 0) return { start: blocking, deleted: 15, text: '' };
  const name = pick([...text.matchAll(/\b(?:C[0-3]|f[0-4]|m[0-2]|make|staticmethod|property|object|hook|attr|state|DEBUG|self|k)\b/g)]);
  if (kind < 0.8) return { start: name.index! + name[0].length, deleted: 0, text: 'q' };
  return { start: name.index!, deleted: name[0].length, text: pick(['C0', 'C1', 'C2', 'f0', 'f3', 'm0', 'm1', 'self', 'object']) };
}

/** The first finding, error span or function summary that differs, both ways. */
function firstDifference(got: LintResult, want: LintResult): string {
  const lists: [string, unknown[], unknown[]][] = [
    ['finding', got.findings, want.findings],
    ['syntax error', got.syntaxErrors, want.syntaxErrors],
    ['function summary', got.summary?.functions ?? [], want.summary?.functions ?? []],
  ];
  for (const [what, a, b] of lists) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = JSON.stringify(a[i]);
      const y = JSON.stringify(b[i]);
      if (x !== y) return `${what} ${i}:\n  got:  ${x}\n  want: ${y}`;
    }
  }
  return `summary: ${JSON.stringify(got.summary)}\n  want: ${JSON.stringify(want.summary)}`;
}

/** The parts of a result a lint must agree on. */
function digest(r: LintResult): string {
  return JSON.stringify({ findings: r.findings, errors: r.syntaxErrors, summary: r.summary });
}

/**
 * Edits a document `steps` times, linting it after each edit (incrementally when it can)
 * and comparing with a fresh lint of the same text; returns how many lints were incremental.
 */
function session(linter: Linter, file: string, text: string, seed: number, steps: number, settings: Settings, project?: { moduleName: string; isPackage: boolean; workspaces: () => [Workspace, Workspace] }, changeOf: (text: string, rnd: () => number) => Change = randomChange): number {
  const workspaces = project?.workspaces;
  const names = project ? { moduleName: project.moduleName, isPackage: project.isPackage } : {};
  const rnd = random(seed);
  const doc = new PyDocument(linter.grammar, text, file);
  let incremental = 0;
  try {
    let ws = workspaces?.();
    linter.lintDocument(doc, settings, { ...names, workspace: ws?.[0] });
    for (let i = 0; i < steps; i++) {
      const change = changeOf(doc.text, rnd);
      try {
        doc.update([change]);
      } catch {
        continue; // (not parseable within the budget: nothing to lint)
      }
      if (workspaces && rnd() < 0.1) ws = workspaces(); // another file changed meanwhile
      const got = linter.lintDocument(doc, settings, { ...names, workspace: ws?.[0] });
      const path = linter.lastUnit ? 'incremental' : 'full';
      if (path === 'incremental') incremental++;
      // (The same tree: after edits that leave syntax errors, tree-sitter's incremental
      // re-parse can recover from them otherwise than a parse from scratch does.)
      const want = linter.lintSyntax(doc.syntax, doc.text, file, settings, { ...names, workspace: ws?.[1] });
      const a = digest(got);
      const b = digest(want);
      if (a !== b) {
        assert.fail(`${file}, seed ${seed}, edit ${i} (${JSON.stringify(change)}; ${path} lint) differs from a fresh lint:\n${firstDifference(got, want)}\n--- text:\n${doc.text}`);
      }
    }
  } finally {
    doc.dispose();
  }
  return incremental;
}

/**
 * Lints an edited document and checks each lint against a fresh lint of its text; `last` is
 * the unit the last lint re-analysed, `names` its dependents (a function by its name, a
 * statement outside functions by its text).
 */
function editing(linter: Linter, doc: PyDocument, settings: Settings): { same: (label: string) => LintResult; names: () => (string | undefined)[] | undefined; last: () => Unit | undefined } {
  let unit: Unit | undefined;
  const same = (label: string) => {
    const got = linter.lintDocument(doc, settings);
    unit = linter.lastUnit;
    const want = linter.lintText(doc.text, doc.filename, settings);
    assert.equal(JSON.stringify(got.findings), JSON.stringify(want.findings), `${label}: ${firstDifference(got, want)}`);
    assert.equal(JSON.stringify(got.summary), JSON.stringify(want.summary), label);
    return got;
  };
  const names = () => unit?.dependents.map((d) => /^(?:async )?def (\w+)/.exec(doc.text.slice(d.start, d.end))?.[1] ?? doc.text.slice(d.start, d.end));
  return { same, names, last: () => unit };
}

const SOURCES = [...listFiles(FIXTURES, '.py'), ...listFiles(join(process.cwd(), 'examples'), '.py')];

describe('incremental lints', () => {
  it('give a fresh lint\'s findings, errors and summary after every edit (every fixture and example, seeded sessions)', async function () {
    this.timeout(600_000);
    const linter = await getLinter();
    let lints = 0;
    let incremental = 0;
    for (const [n, file] of SOURCES.entries()) {
      const text = readFileSync(file, 'utf8');
      for (const settings of [{ select: ['ALL'] }, {}] as Settings[]) {
        incremental += session(linter, file, text, 1000 + n, 60, settings);
        lints += 60;
      }
    }
    // Most edits land in a function body: the incremental path must be taken, or this
    // test compares a full lint with itself.
    assert.ok(incremental > lints * 0.15, `${incremental} of ${lints} lints were incremental`);
  });

  it('agree with a fresh lint when the workspace has other files, and after one of them changed', async function () {
    this.timeout(120_000);
    const linter = await getLinter();
    const dir = join(FIXTURES, 'projects', 'chain');
    const files = listFiles(dir, '.py');
    const first = files.find((f) => f.endsWith('handlers.py'))!;
    const others = files.filter((f) => f !== first);
    const module = (f: string) => moduleNameOf(relative(dir, f));
    let version = 0;
    // Two workspaces with the same other files: one for the document, one for the fresh lints.
    const workspaces = (): [Workspace, Workspace] => {
      version++;
      const pair: [Workspace, Workspace] = [new Workspace(), new Workspace()];
      for (const ws of pair) {
        for (const f of others) linter.indexText(readFileSync(f, 'utf8') + (version % 2 ? '\n# changed\n' : ''), f, ws, module(f));
      }
      return pair;
    };
    let incremental = 0;
    for (let seed = 0; seed < 6; seed++) incremental += session(linter, first, readFileSync(first, 'utf8'), seed, 40, { select: ['ALL'] }, { ...module(first), workspaces });
    assert.ok(incremental > 0, 'no incremental lint');
  });

  it('re-analyses the edited function alone when its exports are unchanged, and the whole file when they change', async () => {
    const linter = await getLinter();
    const text = [
      'import asyncio',
      'import time',
      '',
      'def helper():',
      '    x = 1',
      '    return x',
      '',
      'async def main():',
      '    helper()',
      '    await asyncio.sleep(1)',
      '',
    ].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'm.py');
    const settings: Settings = { select: ['ALL'] };
    const unitOf = (l: Linter): Unit | undefined => l.lastUnit;
    linter.lintDocument(doc, settings);
    assert.equal(linter.lastUnit, undefined, 'the first lint is a full one');
    // Typing in a local name of helper: helper alone.
    doc.update([{ start: text.indexOf('x = 1'), deleted: 0, text: 'y' }]);
    assert.deepEqual(linter.lintDocument(doc, settings).findings, []);
    assert.equal(unitOf(linter)?.scope.name, 'helper');
    // helper now blocks: what callers learn of it changed, so the whole file (CL109 in main).
    doc.update([{ start: doc.text.indexOf('= 1') + 2, deleted: 1, text: 'time.sleep(1)' }]);
    const codes = linter.lintDocument(doc, settings).findings.map((f) => f.code);
    assert.equal(linter.lastUnit, undefined);
    assert.deepEqual(codes, ['CL109']);
    // A coroutine method called from a subclass (`self.work()` in Sub): a `yield` makes it an
    // async generator, which CL201 does not report; the call in Sub must see that.
    const inherited = ['class Base:', '    async def work(self):', '        x = 1', '        return', '', 'class Sub(Base):', '    async def main(self):', '        self.work()', ''].join('\n');
    const doc2 = new PyDocument(linter.grammar, inherited, 'i.py');
    assert.deepEqual(linter.lintDocument(doc2, settings).findings.map((f) => f.code), ['CL201']);
    doc2.update([{ start: inherited.indexOf('= 1') + 2, deleted: 1, text: 'yield' }]);
    const got = linter.lintDocument(doc2, settings);
    assert.deepEqual(got.findings, linter.lintText(doc2.text, 'i.py', settings).findings);
    assert.deepEqual(got.findings, []);
    doc2.dispose();
    // A change at module level: the whole file.
    doc.update([{ start: 0, deleted: 0, text: '# top\n' }]);
    linter.lintDocument(doc, settings);
    assert.equal(linter.lastUnit, undefined);
    doc.dispose();
  });

  it('give a fresh lint\'s findings, errors and summary after every edit of code made of chains across functions and classes (seeded sessions)', async function () {
    this.timeout(600_000);
    const linter = await getLinter();
    let incremental = 0;
    const seeds = 400;
    for (let seed = 0; seed < seeds; seed++) incremental += session(linter, 'chains.py', chainsModule(random(seed)), seed, 40, { select: ['ALL'] }, undefined, chainsChange);
    assert.ok(incremental > seeds * 40 * 0.5, `${incremental} of ${seeds * 40} lints incremental`);
  });

  it('re-analyses a statement outside functions alone (module or class body), with the functions that mention what it binds', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    const filler = fillers(12);
    const text = [
      'import asyncio',
      'import threading',
      'import settings_store',
      '',
      'import config',
      '',
      'TIMEOUT = 5  # seconds',
      'registry = threading.Lock()',
      'LIMIT = config.TIMEOUT  # (config\'s TIMEOUT: not this module\'s)',
      'if config.TYPE_CHECKING:',
      '    import settings_store  # (binds the name again: no use of it)',
      '',
      'class Worker:',
      '    retries = 3',
      '',
      '    async def run(self):',
      '        settings_store.load()',
      '        with registry:',
      '            await asyncio.sleep(TIMEOUT * self.retries)',
      '',
      'async def main():',
      '    await Worker().run()',
      '',
      ...filler,
    ].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'worker.py');
    const { same, names, last } = editing(linter, doc, settings);
    assert.deepEqual(same('first lint').findings.map((f) => f.code), ['CL204', 'CL107']);
    // A comment: the statement alone.
    doc.update([{ start: doc.text.indexOf('seconds'), deleted: 0, text: 'q' }]);
    same('comment');
    assert.equal(last()?.kind, 'statement');
    assert.deepEqual(names(), []);
    // A module-level name renamed: the function that uses it.
    doc.update([{ start: doc.text.indexOf('TIMEOUT'), deleted: 0, text: 'q' }]);
    same('module variable renamed');
    assert.equal(last()?.kind, 'statement');
    assert.deepEqual(names(), ['run']);
    // The lock becomes an asyncio one: run's `with` and CL204 change.
    doc.update([{ start: doc.text.indexOf('threading.Lock'), deleted: 9, text: 'asyncio' }]);
    assert.deepEqual(same('module variable rebound').findings.map((f) => f.code), []);
    assert.equal(last()?.kind, 'statement');
    assert.deepEqual(names(), ['run']);
    // A class attribute: the method that reads it.
    doc.update([{ start: doc.text.indexOf('retries = 3') + 10, deleted: 1, text: '4' }]);
    same('class attribute');
    assert.equal(last()?.kind, 'statement');
    assert.equal(last()?.scope.name, 'Worker');
    assert.deepEqual(names(), ['run']);
    // An import: the functions that use the names it binds.
    doc.update([{ start: doc.text.indexOf('import settings_store') + 8, deleted: 0, text: 'q' }]);
    same('import');
    assert.equal(last()?.kind, 'statement');
    assert.deepEqual(names(), ['run']);
    // The class renamed: the class, whole, and main, which names it.
    doc.update([{ start: doc.text.indexOf('class Worker') + 6, deleted: 0, text: 'q' }]);
    same('class renamed');
    assert.equal(last()?.kind, 'class');
    assert.deepEqual(names(), ['main']);
    // One of the modules fixes import (asyncio: CL101's fix writes `asyncio.sleep`): the whole file.
    doc.update([{ start: doc.text.indexOf('import asyncio') + 8, deleted: 0, text: 'q' }]);
    same('import of asyncio');
    assert.equal(last(), undefined);
    doc.dispose();
    // The alias CL101's fix writes, in a function that does not mention it.
    const aliased = ['import asyncio as aio', 'import time', '', 'async def main():', '    time.sleep(1)', ''].join('\n');
    const doc2 = new PyDocument(linter.grammar, aliased, 'aliased.py');
    linter.lintDocument(doc2, settings);
    doc2.update([{ start: aliased.indexOf('aio'), deleted: 0, text: 'q' }]);
    const got = linter.lintDocument(doc2, settings);
    assert.equal(linter.lastUnit, undefined);
    assert.match(got.findings[0].fix?.edits[0].content ?? '', /qaio\.sleep/);
    doc2.dispose();
  });

  it('re-analyse a class at module level whole after an edit of its header or decorators, with the code that names it', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    const filler = fillers(16, 'loop');
    const text = [
      'import asyncio',
      'import time',
      '',
      'class Base:',
      '    async def work(self):',
      '        await asyncio.sleep(1)',
      '',
      'class Plain:',
      '    def work(self):',
      '        return 1',
      '',
      'class Job(Base):',
      '    @staticmethod',
      '    def make():',
      '        return 1',
      '',
      '    async def run(self):',
      '        self.work()',
      '',
      'class Child(Job):',
      '    async def go(self):',
      '        self.work()',
      '',
      'async def main():',
      '    await Job().run()',
      '',
      'def build() -> Job:',
      '    return Job()',
      '',
      'async def use():',
      '    build().work()',
      '',
      'def other():',
      '    def work():',
      '        return 2',
      '    return 3',
      '',
      ...filler,
    ].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'jobs.py');
    const { same, names, last } = editing(linter, doc, settings);
    const lines = (r: LintResult) => r.findings.map((f) => `${f.code}:${doc.text.slice(0, f.span.start).split('\n').length}`);
    // The coroutine `work` of Base, not awaited in run, go (inherited twice) and use (through build's annotation).
    assert.deepEqual(lines(same('first lint')), ['CL201:18', 'CL201:22', 'CL201:31']);
    // Other bases: the class, the subclass whose header names it (whole), the functions
    // that name it, and the callers of build, whose return annotation names it.
    doc.update([{ start: doc.text.indexOf('class Job(Base)') + 10, deleted: 4, text: 'Plain' }]);
    assert.deepEqual(lines(same('bases changed')), [], 'the work of Plain is a plain function');
    assert.equal(last()?.kind, 'class');
    assert.deepEqual(names(), ['class Child(Job):\n    async def go(self):\n        self.work()', 'main', 'build', 'use']);
    // Renamed (the names in the code that uses it are not: they name nothing now).
    doc.update([{ start: doc.text.indexOf('class Job') + 9, deleted: 0, text: 'q' }]);
    same('class renamed');
    assert.equal(last()?.kind, 'class');
    assert.deepEqual(names(), ['class Child(Job):\n    async def go(self):\n        self.work()', 'main', 'build', 'use']);
    // A method's decorator: the class, and the code that mentions the method.
    doc.update([{ start: doc.text.indexOf('@staticmethod') + 13, deleted: 0, text: 'q' }]);
    same('decorator changed');
    assert.equal(last()?.kind, 'class');
    assert.deepEqual(names(), []);
    // A method's summary changed: the code that calls `work` (not `def work` in Base or in
    // other, which only bind the name).
    doc.update([{ start: doc.text.indexOf('return 1'), deleted: 0, text: 'time.sleep(2); ' }]);
    same('method now blocks');
    assert.equal(last()?.scope.name, 'work');
    assert.deepEqual(names(), ['run', 'go', 'use']);
    doc.dispose();
  });

  it('follow the callers of a function whose nested function changed', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    const filler = fillers(12);
    const text = ['import time', '', 'def outer():', '    def inner():', '        x = 1', '    inner()', '', 'async def main():', '    outer()', '', ...filler].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'nested.py');
    const { same, names, last } = editing(linter, doc, settings);
    same('first lint');
    // inner now blocks: outer's summary lists the same calls, but its chain runs through inner.
    doc.update([{ start: text.indexOf('x = 1'), deleted: 5, text: 'time.sleep(1)' }]);
    assert.deepEqual(same('nested function blocks').findings.map((f) => f.code), ['CL109']);
    assert.equal(last()?.scope.name, 'outer');
    assert.deepEqual(names(), ['main']);
    doc.dispose();
  });

  it('follow callers only for calls that lead to a blocking call or evidence, and the names a dependent declares `global`', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    const filler = fillers(12);
    const text = [
      'import time',
      '',
      '_state = None',
      '',
      'def check(value):',
      '    if value is None:',
      "        raise TypeError('value')",
      '',
      'def schedule(value):',
      '    check(value)',
      '    return value',
      '',
      'async def main():',
      '    schedule(1)',
      '',
      'async def other():',
      '    schedule(2)',
      '',
      'def configure():',
      '    global _state',
      '    _state = make()',
      '',
      'def make():',
      '    return 1',
      '',
      'def use_state():',
      '    return _state',
      '',
      ...filler,
    ].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'leads.py');
    const { same, names, last } = editing(linter, doc, settings);
    same('first lint');
    // check leads nowhere (no blocking call, no evidence): schedule no longer calling it
    // tells its callers nothing new.
    doc.update([{ start: doc.text.indexOf('check(value)\n'), deleted: 0, text: 'q' }]);
    same('call of a function that leads nowhere');
    assert.equal(last()?.scope.name, 'schedule');
    assert.deepEqual(names(), []);
    doc.update([{ start: doc.text.indexOf('qcheck(value)'), deleted: 1, text: '' }]);
    same('and back');
    // check blocks: schedule, which calls it, and main and other, which call schedule.
    doc.update([{ start: doc.text.indexOf("raise TypeError('value')"), deleted: 0, text: 'time.sleep(1); ' }]);
    assert.deepEqual(same('check blocks').findings.map((f) => f.code), ['CL109', 'CL109']);
    assert.deepEqual(names(), ['schedule', 'main', 'other']);
    // Now the call of check matters to schedule's callers.
    doc.update([{ start: doc.text.indexOf('check(value)\n'), deleted: 0, text: 'q' }]);
    assert.deepEqual(same('call of a blocking function').findings, []);
    assert.deepEqual(names(), ['main', 'other']);
    // make renamed: configure, which calls it and binds _state through `global`, and then
    // what mentions _state.
    doc.update([{ start: doc.text.indexOf('def make') + 8, deleted: 0, text: 'q' }]);
    same('function renamed');
    assert.equal(last()?.scope.name, 'makeq');
    assert.deepEqual(names(), ['_state = None', 'configure', 'use_state']);
    doc.dispose();
  });

  it('follow the callers of a method that calls a changed function in a class re-analysed whole', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    const filler = fillers(12);
    const text = [
      'import time',
      'DEBUG = False',
      '',
      'def helper():',
      '    x = 1',
      '',
      'class Cache:',
      '    if DEBUG:',
      '        hook = helper',
      '',
      '    def load(self):',
      '        helper()',
      '',
      'class Service:',
      '    def __init__(self):',
      '        self.cache = Cache()',
      '',
      '    async def run(self):',
      '        self.cache.load()',
      '',
      ...filler,
    ].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'cache.py');
    const { same, names, last } = editing(linter, doc, settings);
    same('first lint');
    // helper now blocks: Cache mentions it outside its methods (re-analysed whole), and its
    // load calls it, so run, which calls load without naming Cache, has a new chain.
    doc.update([{ start: text.indexOf('x = 1'), deleted: 0, text: 'time.sleep(1); ' }]);
    assert.deepEqual(same('helper blocks').findings.map((f) => f.code), ['CL109']);
    assert.equal(last()?.scope.name, 'helper');
    assert.deepEqual(names()?.map((n) => n?.split('\n')[0]), ['class Cache:', '__init__', 'run']);
    doc.dispose();
  });

  it('take no class of the file\'s last summary for a class (the workspace still holds it)', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    const text = ['class Job:', '    async def run(self):', '        return 1', '', 'def Job():', '    return None', '', 'async def make():', '    Job().run()', ''].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'jobs.py');
    const { same } = editing(linter, doc, settings);
    same('first lint');
    // The class renamed: `Job()` in make calls the function now, though the workspace's
    // summary of this file (the last lint's) still lists a class Job.
    doc.update([{ start: text.indexOf('class Job') + 9, deleted: 0, text: 'q' }]);
    const calls = same('class renamed').summary?.functions.find((f) => f.qname.endsWith('.make'))?.calls.map((c) => c.callee);
    assert.deepEqual(calls, ['__main__.Job']);
    doc.dispose();
  });

  it('take the name of a `def` for no call that sets a fact of the whole file', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    const filler = fillers(12);
    const text = ['class Loop:', '    def set_default_executor(self, executor):', '        self._executor = executor', '', ...filler].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'loop.py');
    const { same, last } = editing(linter, doc, settings);
    same('first lint');
    doc.update([{ start: text.indexOf('= executor') + 2, deleted: 0, text: 'q' }]);
    same('in the method');
    assert.equal(last()?.scope.name, 'set_default_executor');
    // A call of it does set the fact: the whole file.
    doc.update([{ start: doc.text.indexOf('= qexecutor') + 2, deleted: 1, text: 'self.set_default_executor(None) or ' }]);
    same('a call in the method');
    assert.equal(last(), undefined);
    doc.dispose();
  });

  it('know every module whose import fixes read (an import unit changing one lints the whole file)', () => {
    const sources = listFiles(join(process.cwd(), 'src', 'core'), '.ts').map((f) => readFileSync(f, 'utf8'));
    const asked = sources.flatMap((t) => [...t.matchAll(/(?:moduleReference\([^,]+|moduleAlias\()\s*,?\s*'([^']+)'/g)].map((m) => m[1]));
    assert.ok(asked.length >= 5, `found ${asked.length} calls`);
    for (const m of [...asked, 'trio', 'anyio', 'concurrent.futures.ProcessPoolExecutor']) assert.ok(importReadByFixes(m), m);
  });

  it('re-analyses with the unit the functions that mention a name whose meaning or summary it changed', async () => {
    const linter = await getLinter();
    const settings: Settings = { select: ['ALL'] };
    // (Other functions, so that the dependents stay a small share of the file.)
    const filler = fillers(12, 'loop');
    const text = [
      'import asyncio',
      'import time',
      '',
      "__all__ = ['Client', 'middle']  # (strings: they mean nothing to the analysis either)",
      '',
      '# _delay: how long fetch waits (a comment: it means nothing to the analysis)',
      'class Client:',
      '    """Waits _delay seconds."""',
      "    __slots__ = ('_delay', '_rate')",
      '',
      '    def __init__(self):',
      '        self._delay = 1',
      '',
      '    def configure(self):',
      '        rate = self._delay * 2',
      '        self._rate = rate',
      '',
      '    def report(self):',
      '        return self._rate',
      '',
      '    async def fetch(self):',
      '        await asyncio.sleep(self._delay)',
      '',
      'class Defaults:',
      '    _rate = None  # a variable of this class: not the attribute of Client followed below',
      '',
      'def helper():',
      '    x = 1',
      '    return x',
      '',
      'def middle():',
      '    return helper()',
      '',
      'async def main():',
      '    middle()',
      '',
      'async def fetch_all(client):',
      '    await client.fetch()',
      '',
      'def run_fetch():',
      '    return fetch_all(None)',
      '',
      ...filler,
    ].join('\n');
    const doc = new PyDocument(linter.grammar, text, 'client.py');
    const { same, names, last } = editing(linter, doc, settings);
    same('first lint');
    // `_delay` renamed in __init__: the methods that mention it, and `report`, which reads
    // `_rate`, assigned from a local that `_delay` flows into (not the comment or docstring).
    doc.update([{ start: text.indexOf('_delay = 1') + 6, deleted: 0, text: 'q' }]);
    same('attribute renamed');
    assert.equal(last()?.scope.name, '__init__');
    assert.deepEqual(names(), ['configure', 'report', 'fetch']);
    // helper now blocks: middle calls it and main calls middle (CL109 through the chain).
    doc.update([{ start: doc.text.indexOf('x = 1') + 4, deleted: 1, text: 'time.sleep(1)' }]);
    const got = same('summary changed');
    assert.equal(last()?.scope.name, 'helper');
    assert.deepEqual(names(), ['middle', 'main']);
    assert.deepEqual(got.findings.map((f) => f.code), ['CL109']);
    // middle renamed: main, which calls it (not the string in `__all__`).
    doc.update([{ start: doc.text.indexOf('def middle') + 10, deleted: 0, text: 'q' }]);
    same('function renamed');
    assert.equal(last()?.scope.name, 'middleq');
    assert.deepEqual(names(), ['main']);
    // A name used at module level: the statements that use it, and what uses the names they
    // bind (an alias of helper, called in use_alias).
    doc.update([{ start: doc.text.length, deleted: 0, text: 'helper()\nalias = helper\n\ndef use_alias():\n    return alias()\n' }]);
    same('module-level uses added');
    doc.update([{ start: doc.text.indexOf('time.sleep(1)'), deleted: 0, text: 'q' }]);
    same('helper changed again');
    assert.equal(last()?.scope.name, 'helper');
    assert.deepEqual(names(), ['middleq', 'helper()', 'alias = helper', 'use_alias']);
    // Used in a class's header (its bases): that class, whole.
    doc.update([{ start: doc.text.length, deleted: 0, text: 'class Sub(helper()):\n    pass\n' }]);
    same('used in a class header');
    doc.update([{ start: doc.text.indexOf('qtime.sleep(1)'), deleted: 1, text: '' }]);
    same('helper changed once more');
    assert.equal(last()?.scope.name, 'helper');
    assert.deepEqual(names(), ['middleq', 'helper()', 'alias = helper', 'use_alias', 'class Sub(helper()):\n    pass']);
    // fetch, a coroutine, now calls helper: fetch_all, which calls it, and not run_fetch,
    // which calls fetch_all (no chain or workload goes through a coroutine).
    doc.update([{ start: doc.text.indexOf('sleep(self._delay)') + 6, deleted: 0, text: 'helper() + ' }]);
    same('coroutine changed');
    assert.equal(last()?.scope.name, 'fetch');
    assert.deepEqual(names(), ['fetch_all']);
    doc.dispose();
  });
});
