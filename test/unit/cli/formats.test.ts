import { strict as assert } from 'node:assert';
import type { Finding, RuleMeta } from '../../../src/core/types';
import type { FileReport } from '../../../src/cli/report';
import { formatText, summaryLine } from '../../../src/cli/format/text';
import { formatJson } from '../../../src/cli/format/json';
import { buildSarif } from '../../../src/cli/format/sarif';
import { formatGithub } from '../../../src/cli/format/github';
import { countByCode, formatStatistics } from '../../../src/cli/format/statistics';
import { ANSI, NO_COLOR, useColor } from '../../../src/cli/format/color';
import { sarifErrors } from './helpers';

// "é" is one code point, "𝔘" is two UTF-16 units but one code point.
const text = 'import time\nx = "é𝔘"; y = 1\nasync def f():\n    time.sleep(1)\n';
const sleepStart = text.indexOf('time.sleep');
const yStart = text.indexOf('y = 1');

const sleep: Finding = {
  code: 'CL101',
  message: '`time.sleep()` blocks the event loop',
  severity: 'warning',
  span: { start: sleepStart, end: sleepStart + 'time.sleep(1)'.length },
  fix: {
    title: 'Replace with `await asyncio.sleep(1)`',
    applicability: 'safe',
    edits: [
      { start: sleepStart, end: sleepStart + 'time.sleep(1)'.length, content: 'await asyncio.sleep(1)' },
      { start: 0, end: 0, content: 'import asyncio\n' },
    ],
  },
};
const wide: Finding = { code: 'CL110', message: 'nested loop', severity: 'error', span: { start: yStart, end: yStart + 1 } };
const unsafe: Finding = {
  code: 'CL104',
  message: 'file I/O, with "quotes", commas: and %',
  severity: 'info',
  span: { start: 0, end: 6 },
  fix: { title: 'to_thread', applicability: 'unsafe', edits: [{ start: 0, end: 6, content: 'x' }] },
};

const report: FileReport = { path: '/work/proj/app/main.py', displayPath: 'app/main.py', text, findings: [wide, sleep] };
const metas: RuleMeta[] = [
  { code: 'CL101', name: 'blocking-sleep-in-async', family: 'event-loop', summary: 'sleep', severity: 'warning', fixable: true, docs: '## What it does\nFinds sleeps.\n\n## Why is this bad?\nIt blocks.\n' },
  { code: 'CL110', name: 'event-loop-run-in-coroutine', family: 'event-loop', summary: 'nested', severity: 'error', fixable: true, docs: '## What it does\nFinds nested loops.\n' },
];

describe('cli output formats', () => {
  it('text: path:row:col: CODE [*] message, columns in code points', () => {
    const out = formatText([report], { fixLevel: 'safe' }, NO_COLOR);
    assert.equal(
      out,
      'app/main.py:2:11: CL110 nested loop\n' + 'app/main.py:4:5: CL101 [*] `time.sleep()` blocks the event loop\n',
    );
  });

  it('text: [*] only for fixes that apply at the chosen level', () => {
    const r: FileReport = { ...report, findings: [unsafe] };
    assert.ok(!formatText([r], { fixLevel: 'safe' }, NO_COLOR).includes('[*]'));
    assert.ok(formatText([r], { fixLevel: 'unsafe' }, NO_COLOR).includes('[*]'));
  });

  it('text: colours when asked', () => {
    const out = formatText([report], { fixLevel: 'safe' }, ANSI);
    assert.ok(out.includes('\x1b['));
    assert.ok(!formatText([report], { fixLevel: 'safe' }, NO_COLOR).includes('\x1b['));
  });

  it('summary lines', () => {
    assert.equal(summaryLine([report], { fixLevel: 'safe' }, NO_COLOR), 'Found 2 findings (1 fixable with --fix).\n');
    assert.equal(summaryLine([{ ...report, findings: [] }], { fixLevel: 'safe' }, NO_COLOR), 'All checks passed!\n');
    assert.equal(summaryLine([{ ...report, findings: [sleep] }], { fixLevel: 'safe' }, NO_COLOR), 'Found 1 finding (1 fixable with --fix).\n');
    assert.equal(
      summaryLine([{ ...report, findings: [unsafe] }], { fixLevel: 'safe' }, NO_COLOR),
      'Found 1 finding (1 more with --fix --unsafe-fixes).\n',
    );
    assert.equal(summaryLine([{ ...report, findings: [wide] }], { fixLevel: 'safe', fixed: 3 }, NO_COLOR), 'Found 4 findings (3 fixed, 1 remaining).\n');
    assert.match(summaryLine([], { fixLevel: 'safe', hadErrors: true }, NO_COLOR), /errors were reported/);
  });

  it('colour follows NO_COLOR, FORCE_COLOR and the terminal', () => {
    assert.equal(useColor({}, true), true);
    assert.equal(useColor({}, false), false);
    assert.equal(useColor({ NO_COLOR: '1' }, true), false);
    assert.equal(useColor({ FORCE_COLOR: '1' }, false), true);
    assert.equal(useColor({ FORCE_COLOR: '0' }, true), false);
    assert.equal(useColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false);
    assert.equal(useColor({ TERM: 'dumb' }, true), false);
  });

  it('json: the Ruff-shaped array of DESIGN §4', () => {
    const arr = JSON.parse(formatJson([report]));
    assert.equal(arr.length, 2);
    assert.deepEqual(arr[1], {
      code: 'CL101',
      message: '`time.sleep()` blocks the event loop',
      severity: 'warning',
      filename: '/work/proj/app/main.py',
      location: { row: 4, column: 5 },
      end_location: { row: 4, column: 18 },
      fix: {
        message: 'Replace with `await asyncio.sleep(1)`',
        applicability: 'safe',
        edits: [
          { content: 'import asyncio\n', location: { row: 1, column: 1 }, end_location: { row: 1, column: 1 } },
          { content: 'await asyncio.sleep(1)', location: { row: 4, column: 5 }, end_location: { row: 4, column: 18 } },
        ],
      },
      url: 'https://github.com/conclens/concurrency-lens/blob/main/docs/rules/CL101.md',
    });
    // `x = "é𝔘"; ` is 10 code points (11 UTF-16 units): y is in column 11.
    assert.deepEqual(arr[0].location, { row: 2, column: 11 });
    assert.equal(arr[0].fix, null);
    assert.deepEqual(Object.keys(arr[0]), ['code', 'message', 'severity', 'filename', 'location', 'end_location', 'fix', 'url']);
  });

  it('json: empty array when there is nothing', () => {
    assert.deepEqual(JSON.parse(formatJson([])), []);
  });

  it('github: workflow commands with escaped properties and data', () => {
    const r: FileReport = { ...report, displayPath: 'app/a,b:c.py', findings: [sleep, unsafe, wide] };
    const lines = formatGithub([r]).trimEnd().split('\n');
    assert.equal(
      lines[0],
      '::warning file=app/a%2Cb%3Ac.py,line=4,col=5,endLine=4,endColumn=18,title=CL101::`time.sleep()` blocks the event loop',
    );
    assert.equal(lines[1], '::notice file=app/a%2Cb%3Ac.py,line=1,col=1,endLine=1,endColumn=7,title=CL104::file I/O, with "quotes", commas: and %25');
    assert.ok(lines[2].startsWith('::error '));
  });

  it('sarif: validates against the SARIF 2.1.0 schema, with rules, results and fixes', () => {
    const outside: FileReport = { path: '/elsewhere/x y.py', displayPath: '/elsewhere/x y.py', text, findings: [unsafe] };
    const log = buildSarif([report, outside], { version: '1.2.3', cwd: '/work/proj', rules: metas, notes: ['a.py: skipped'] }) as {
      runs: {
        tool: { driver: { rules: { id: string; defaultConfiguration: { level: string }; fullDescription: { text: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex?: number;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: object } }[];
          fixes?: { artifactChanges: { replacements: { deletedRegion: object; insertedContent: { text: string } }[] }[] }[];
        }[];
      }[];
    };
    assert.deepEqual(sarifErrors(log), []);
    const run = log.runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ['CL101', 'CL110']);
    assert.equal(run.tool.driver.rules[1].defaultConfiguration.level, 'error');
    assert.equal(run.tool.driver.rules[0].fullDescription.text, 'Finds sleeps.');
    const [first, second, third] = run.results;
    assert.equal(first.ruleId, 'CL110');
    assert.equal(first.ruleIndex, 1);
    assert.deepEqual(first.locations[0].physicalLocation.artifactLocation, { uri: 'app/main.py', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 2, startColumn: 11, endLine: 2, endColumn: 12 });
    assert.equal(second.level, 'warning');
    assert.deepEqual(second.fixes?.[0].artifactChanges[0].replacements[0], {
      deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      insertedContent: { text: 'import asyncio\n' },
    });
    assert.equal(third.level, 'note');
    assert.equal(third.ruleIndex, undefined, 'CL104 is not in the given catalogue');
    assert.equal(third.locations[0].physicalLocation.artifactLocation.uri, 'file:///elsewhere/x%20y.py');
  });

  it('sarif: an empty run is valid too', () => {
    assert.deepEqual(sarifErrors(buildSarif([], { version: '0.0.0', cwd: '/', rules: [] })), []);
  });

  it('the schema validator does reject a broken log', () => {
    assert.notDeepEqual(sarifErrors({ version: '2.1.0', runs: [{ results: [] }] }), []);
    const log = buildSarif([report], { version: '1.0.0', cwd: '/work/proj', rules: metas }) as { runs: { results: { level: string }[] }[] };
    log.runs[0].results[0].level = 'info';
    assert.notDeepEqual(sarifErrors(log), [], 'SARIF has no "info" level');
  });

  it('statistics: count per code, most frequent first', () => {
    const r: FileReport = { ...report, findings: [sleep, sleep, wide] };
    const counts = countByCode([r], (c) => metas.find((m) => m.code === c), 'safe');
    assert.deepEqual(counts, [
      { code: 'CL101', name: 'blocking-sleep-in-async', count: 2, fixable: true },
      { code: 'CL110', name: 'event-loop-run-in-coroutine', count: 1, fixable: false },
    ]);
    assert.equal(formatStatistics(counts, 'text'), '2\tCL101\t[*] blocking-sleep-in-async\n1\tCL110\t    event-loop-run-in-coroutine\n');
    assert.deepEqual(JSON.parse(formatStatistics(counts, 'json')), counts);
  });
});
