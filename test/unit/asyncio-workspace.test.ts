// Cross-file answers of the asyncio rules: a coroutine defined in another module and
// called without `await` (CL201), with the evidence naming where it is defined.
import { strict as assert } from 'node:assert';
import { completeLint } from '../../src/core/linter';
import { Workspace } from '../../src/core/semantics/workspace';
import { getLinter, lintProject, type Source } from './helpers';

const lines = (...l: string[]) => l.join('\n') + '\n';



const net: Source = {
  file: 'app/net.py',
  moduleName: 'app.net',
  text: lines('import asyncio', '', '', 'async def fetch(url):', '    await asyncio.sleep(0)', '    return url', '', '', 'def parse(body):', '    return body'),
};

describe('asyncio rules across files', () => {
  it('CL201: an async def of another module called as a statement, with evidence', async () => {
    const linter = await getLinter();
    const main: Source = {
      file: 'app/main.py',
      moduleName: 'app.main',
      text: lines('from app.net import fetch, parse', '', '', 'async def run(url):', '    fetch(url)', '    parse(url)'),
    };
    const findings = lintProject(linter, [net, main]).get(main.file) ?? [];
    const cl201 = findings.filter((f) => f.code === 'CL201');
    assert.equal(cl201.length, 1);
    assert.deepEqual(cl201[0].evidence, ['`fetch` is an `async def` in app/net.py, line 4']);
    assert.equal(cl201[0].fix?.edits[0].content, 'await ');
  });

  it('CL201: through a module alias and a relative import', async () => {
    const linter = await getLinter();
    const main: Source = {
      file: 'app/main.py',
      moduleName: 'app.main',
      text: lines('from . import net as transport', '', '', 'def kick(url):', '    if transport.fetch(url):', '        return True'),
    };
    const findings = (lintProject(linter, [net, main]).get(main.file) ?? []).filter((f) => f.code === 'CL201');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /tested without `await`/);
    assert.equal(findings[0].fix, undefined, 'a plain def gets no await');
  });

  it('CL201: a sync def of the same name in another module is not a coroutine', async () => {
    const linter = await getLinter();
    const other: Source = { file: 'lib/net.py', moduleName: 'lib.net', text: lines('def fetch(url):', '    return url') };
    const main: Source = { file: 'app/main.py', moduleName: 'app.main', text: lines('from lib.net import fetch', '', 'async def run(u):', '    fetch(u)') };
    const findings = lintProject(linter, [net, other, main]).get(main.file) ?? [];
    assert.deepEqual(findings.filter((f) => f.code === 'CL201'), []);
  });

  it('CL201: a method inherited from a class in another module', async () => {
    const linter = await getLinter();
    const base: Source = {
      file: 'app/base.py',
      moduleName: 'app.base',
      text: lines('class Service:', '    async def start(self):', '        pass'),
    };
    const main: Source = {
      file: 'app/main.py',
      moduleName: 'app.main',
      text: lines('from app.base import Service', '', 'class Api(Service):', '    async def boot(self):', '        self.start()'),
    };
    const findings = (lintProject(linter, [base, main]).get(main.file) ?? []).filter((f) => f.code === 'CL201');
    assert.equal(findings.length, 1);
    assert.match(findings[0].evidence?.[0] ?? '', /app\/base\.py, line 2/);
  });

  it('CL201: in a project run the question waits until every file is indexed', async () => {
    const linter = await getLinter();
    // The caller is linted first, before the module that defines the coroutine.
    const main: Source = { file: 'app/main.py', moduleName: 'app.main', text: lines('from app.net import fetch', '', 'async def run(u):', '    fetch(u)') };
    const workspace = new Workspace();
    const first = linter.lintText(main.text, main.file, {}, { moduleName: main.moduleName, workspace, deferCrossFile: true });
    linter.lintText(net.text, net.file, {}, { moduleName: net.moduleName, workspace, deferCrossFile: true });
    assert.deepEqual(first.findings.filter((f) => f.code === 'CL201'), []);
    const done = completeLint(first, workspace).findings.filter((f) => f.code === 'CL201');
    assert.equal(done.length, 1);
    assert.equal(done[0].fix?.edits[0].content, 'await ');
    assert.match(done[0].evidence?.[0] ?? '', /app\/net\.py, line 4/);
  });

  it('CL201: the callee module becoming sync clears the finding', async () => {
    const linter = await getLinter();
    const main: Source = { file: 'app/main.py', moduleName: 'app.main', text: lines('from app.net import fetch', '', 'async def run(u):', '    fetch(u)') };
    const workspace = new Workspace();
    for (const s of [net, main]) linter.lintText(s.text, s.file, {}, { moduleName: s.moduleName, workspace });
    assert.equal(linter.lintText(main.text, main.file, {}, { moduleName: main.moduleName, workspace }).findings.filter((f) => f.code === 'CL201').length, 1);
    const syncNet = net.text.replace('async def fetch', 'def fetch').replace('    await asyncio.sleep(0)\n', '');
    linter.lintText(syncNet, net.file, {}, { moduleName: net.moduleName, workspace });
    assert.equal(linter.lintText(main.text, main.file, {}, { moduleName: main.moduleName, workspace }).findings.filter((f) => f.code === 'CL201').length, 0);
  });
});
