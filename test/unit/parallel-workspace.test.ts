// Cross-file answers of the thread and process rules: a CPU-bound function defined in
// another module and run in a thread (CL301), an I/O-bound one sent to a process pool
// (CL403), a `main()` of another module that starts processes called at import time
// (CL401), and the same answers when the files are linted in one deferred pass.
import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/core/types';
import { getLinter, lintDeferred, lintProject, type Source } from './helpers';

const lines = (...l: string[]) => l.join('\n') + '\n';




const imaging: Source = {
  file: 'app/imaging.py',
  moduleName: 'app.imaging',
  text: lines(
    'def blur(pixels, width, height):',
    '    out = [0] * len(pixels)',
    '    for y in range(1, height - 1):',
    '        for x in range(1, width - 1):',
    '            i = y * width + x',
    '            out[i] = (pixels[i - 1] + pixels[i] + pixels[i + 1]) // 3',
    '    return out',
    '',
    '',
    'def fetch(url):',
    '    import requests',
    '    return requests.get(url, timeout=5).content',
  ),
};

const jobs: Source = {
  file: 'app/jobs.py',
  moduleName: 'app.jobs',
  text: lines(
    'from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor',
    '',
    'from app.imaging import blur, fetch',
    '',
    '',
    'def thumbnail(pixels):',
    '    return blur(pixels, 64, 64)',
    '',
    '',
    'def run(images, urls):',
    '    with ThreadPoolExecutor() as threads:',
    '        small = list(threads.map(blur, images, [64] * len(images), [64] * len(images)))',
    '        thumbs = [threads.submit(thumbnail, i) for i in images]',
    '        pages = list(threads.map(fetch, urls))',
    '    return small, thumbs, pages',
    '',
    '',
    'def download(urls):',
    '    with ProcessPoolExecutor() as procs:',
    '        return list(procs.map(fetch, urls))',
  ),
};

describe('thread and process rules across files', () => {
  it('CL301: a CPU-bound function of another module, with the loop as related information', async () => {
    const linter = await getLinter();
    const findings = (lintProject(linter, [imaging, jobs]).get(jobs.file) ?? []).filter((f) => f.code === 'CL301');
    assert.equal(findings.length, 2);
    const [direct, helper] = findings;
    assert.match(direct.message, /`blur\(\)`/);
    assert.match(direct.evidence?.[0] ?? '', /^`blur\(\)` is CPU-bound: nested loops at line 3 .*\(imaging\.py\)$/);
    assert.equal(direct.related?.[0].file, 'app/imaging.py');
    assert.match(helper.message, /`thumbnail\(\)`/);
    assert.match(helper.evidence?.[0] ?? '', /\(in `blur\(\)`, imaging\.py\)/);
  });

  it('CL301: the executor swap is confirmed for a module-level function of another module', async () => {
    const linter = await getLinter();
    const main: Source = {
      file: 'app/batch.py',
      moduleName: 'app.batch',
      text: lines('from concurrent.futures import ThreadPoolExecutor', 'from app.imaging import blur', '', 'def go(images):', '    with ThreadPoolExecutor() as ex:', '        return [ex.submit(blur, i, 8, 8) for i in images]'),
    };
    const [finding] = (lintProject(linter, [imaging, main]).get(main.file) ?? []).filter((f) => f.code === 'CL301');
    assert.ok(finding);
    assert.equal(finding.fix?.applicability, 'unsafe');
    assert.deepEqual(
      finding.fix?.edits.map((e) => e.content),
      ['ProcessPoolExecutor', 'ProcessPoolExecutor'],
    );
  });

  it('CL403: an I/O-bound function of another module in a process pool', async () => {
    const linter = await getLinter();
    const findings = (lintProject(linter, [imaging, jobs]).get(jobs.file) ?? []).filter((f) => f.code === 'CL403');
    assert.equal(findings.length, 1);
    assert.match(findings[0].evidence?.[0] ?? '', /`requests\.get\(\)` at line 12 waits for I\/O \(imaging\.py\)/);
    assert.equal(findings[0].fix?.title, 'Use `ThreadPoolExecutor` instead of `ProcessPoolExecutor`');
  });

  it('CL401: main() of another module starts processes and is called at import time', async () => {
    const linter = await getLinter();
    const cli: Source = {
      file: 'app/cli.py',
      moduleName: 'app.cli',
      text: lines('from multiprocessing import Pool', '', '', 'def work(x):', '    return x', '', '', 'def main():', '    with Pool(2) as pool:', '        pool.map(work, [1, 2])'),
    };
    const run: Source = { file: 'run.py', moduleName: 'run', text: lines('from app.cli import main', '', 'main()') };
    const findings = (lintProject(linter, [cli, run]).get(run.file) ?? []).filter((f) => f.code === 'CL401');
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /`main\(\)` starts worker processes/);
    assert.deepEqual(findings[0].evidence?.[0], '`multiprocessing.Pool` is called in `main()`');
    assert.equal(findings[0].fix?.edits[0].content, 'if __name__ == "__main__":\n    main()');
    // A guarded call is fine.
    const guarded: Source = { ...run, text: lines('from app.cli import main', '', 'if __name__ == "__main__":', '    main()') };
    assert.equal((lintProject(linter, [cli, guarded]).get(run.file) ?? []).filter((f) => f.code === 'CL401').length, 0);
  });

  it('CL402: a function imported from another module pickles by name', async () => {
    const linter = await getLinter();
    const main: Source = {
      file: 'app/par.py',
      moduleName: 'app.par',
      text: lines('from multiprocessing import Pool', 'from app.imaging import blur', '', 'def go(images):', '    with Pool() as p:', '        return p.starmap(blur, [(i, 8, 8) for i in images])'),
    };
    assert.equal((lintProject(linter, [imaging, main]).get(main.file) ?? []).filter((f) => f.code === 'CL402').length, 0);
  });

  it('free-threaded builds: CL301 is off, the other thread rules stay on', async () => {
    const linter = await getLinter();
    const text = lines(
      'import threading',
      '',
      'count = 0',
      '',
      'def crunch(n):',
      '    global count',
      '    total = 0',
      '    for i in range(n):',
      '        total += i * i',
      '    count += 1',
      '    return total',
      '',
      'for _ in range(4):',
      '    threading.Thread(target=crunch, args=(10**6,)).start()',
    );
    const codes = (settings: { freeThreaded?: boolean }) => linter.lintText(text, 't.py', settings).findings.map((f) => f.code);
    assert.deepEqual(codes({}), ['CL302', 'CL301']);
    assert.deepEqual(codes({ freeThreaded: true }), ['CL302']);
  });

  it('gives the same answers when the caller is linted before the callee in one deferred pass', async () => {
    const linter = await getLinter();
    const twoPass = lintProject(linter, [jobs, imaging]).get(jobs.file) ?? [];
    const deferred = lintDeferred(linter, [jobs, imaging]).get(jobs.file) ?? [];
    const pick = (fs: Finding[]) => fs.filter((f) => /^CL[34]/.test(f.code)).map((f) => `${f.code}@${f.span.start}:${f.fix ? 'fix' : 'nofix'}`);
    assert.ok(pick(twoPass).length >= 3);
    assert.deepEqual(pick(deferred), pick(twoPass));
  });
});
