import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { discoverFiles, type DiscoverOptions } from '../../../src/cli/files';
import { removeTree, tempTree } from './helpers';

describe('finding the files to lint', () => {
  let dir = '';
  afterEach(() => removeTree(dir));

  const options = (over: Partial<DiscoverOptions> = {}): DiscoverOptions => ({
    cwd: dir,
    exclude: [],
    respectGitignore: true,
    forceExclude: false,
    ...over,
  });
  const found = (paths: string[], over: Partial<DiscoverOptions> = {}) =>
    discoverFiles(paths, options(over)).files.map((f) => relative(dir, f)).sort();

  it('walks folders for .py and .pyi, skipping tool folders and virtualenvs', () => {
    dir = tempTree({
      'a.py': '', 'b.pyi': '', 'c.txt': '', 'pkg/d.py': '', 'pkg/deep/e.py': '',
      '.git/x.py': '', 'node_modules/m/x.py': '', '.venv/lib/x.py': '', 'venv/x.py': '',
      '__pycache__/x.py': '', 'myenv/pyvenv.cfg': '', 'myenv/lib/x.py': '', '.tox/x.py': '',
    });
    assert.deepEqual(found(['.']), ['a.py', 'b.pyi', 'pkg/d.py', 'pkg/deep/e.py']);
  });

  it('honours .gitignore files, nested ones and negations', () => {
    dir = tempTree({
      '.gitignore': 'build/\n*_pb2.py\n',
      'a.py': '', 'gen_pb2.py': '', 'build/x.py': '',
      'pkg/.gitignore': 'local.py\n!keep_pb2.py\n',
      'pkg/local.py': '', 'pkg/keep_pb2.py': '', 'pkg/other_pb2.py': '', 'pkg/ok.py': '',
    });
    assert.deepEqual(found(['.']), ['a.py', 'pkg/keep_pb2.py', 'pkg/ok.py']);
    assert.deepEqual(found(['.'], { respectGitignore: false }).length, 7);
  });

  it('reads .gitignore files of parent folders up to the repository root', () => {
    dir = tempTree({ '.gitignore': 'skip.py\n', 'src/skip.py': '', 'src/ok.py': '' });
    mkdirSync(join(dir, '.git'));
    assert.deepEqual(found(['src']), ['src/ok.py']);
  });

  it('applies exclude patterns relative to their base', () => {
    dir = tempTree({ 'a.py': '', 'gen/x.py': '', 'sub/gen/y.py': '', 'tests/t_slow.py': '', 'tests/t.py': '' });
    assert.deepEqual(found(['.'], { exclude: [{ patterns: ['gen/', 'tests/*_slow.py'], base: dir }] }), ['a.py', 'tests/t.py']);
  });

  it('lints explicitly named files even if excluded, unless --force-exclude', () => {
    dir = tempTree({ '.gitignore': 'ignored.py\n', 'ignored.py': '', 'gen/x.py': '', 'script': '' });
    const exclude = [{ patterns: ['gen/'], base: dir }];
    assert.deepEqual(found(['ignored.py', 'gen/x.py', 'script'], { exclude }), ['gen/x.py', 'ignored.py', 'script']);
    assert.deepEqual(found(['ignored.py', 'gen/x.py', 'script'], { exclude, forceExclude: true }), ['script']);
  });

  it('reports missing paths and deduplicates', () => {
    dir = tempTree({ 'a.py': '' });
    const r = discoverFiles(['a.py', '.', 'nope.py', 'nope/'], options());
    assert.deepEqual(r.missing, ['nope.py', 'nope/']);
    assert.equal(r.files.length, 1);
  });

  it('follows linked files but not linked folders', () => {
    dir = tempTree({ 'real/a.py': '', 'b.py': '' });
    symlinkSync('b.py', join(dir, 'link.py'));
    symlinkSync('real', join(dir, 'linkdir'));
    symlinkSync('missing.py', join(dir, 'dangling.py'));
    assert.deepEqual(found(['.']), ['b.py', 'dangling.py', 'link.py', 'real/a.py']);
  });
});
