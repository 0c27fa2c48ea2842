// SARIF 2.1.0: the tool with its rule catalogue, one result per finding, fixes as
// artifact changes. URIs are relative to the working directory (base id %SRCROOT%), which
// is what code-scanning uploads expect; files outside it get absolute file: URIs.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleUrl, type Finding, type RuleMeta, type Severity } from '../../core/types';
import { position, posixPath, type FileReport } from '../report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/conclens/concurrency-lens';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifOptions {
  version: string;
  cwd: string;
  rules: readonly RuleMeta[];
  /** Files skipped or other notes, reported as tool execution notifications. */
  notes?: readonly string[];
  /** False when the run had usage/config/internal errors. */
  successful?: boolean;
}

function artifactLocation(r: FileReport): ArtifactLocation {
  if (r.path === '-') return { uri: 'stdin' };
  if (!isAbsolute(r.displayPath)) {
    const uri = posixPath(r.displayPath).split('/').map(encodeURIComponent).join('/');
    return { uri, uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(r.path).href };
}

function region(r: FileReport, start: number, end: number): Region {
  const s = position(r, start);
  const e = position(r, end);
  return { startLine: s.row, startColumn: s.column, endLine: e.row, endColumn: e.column };
}

/** The first paragraph of "## What it does", as plain text, for fullDescription. */
function whatItDoes(meta: RuleMeta): string {
  const m = /##\s*What it does\s*\n([\s\S]*?)(\n\s*\n|\n##|$)/.exec(meta.docs);
  const text = (m ? m[1] : '').replace(/\s+/g, ' ').trim();
  return text || meta.summary;
}

function rule(meta: RuleMeta) {
  return {
    id: meta.code,
    name: meta.name,
    shortDescription: { text: meta.summary },
    fullDescription: { text: whatItDoes(meta) },
    help: { text: `${meta.summary}\n\nSee ${ruleUrl(meta.code)}`, markdown: meta.docs },
    helpUri: ruleUrl(meta.code),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { tags: [meta.family], fixable: meta.fixable },
  };
}

function result(r: FileReport, f: Finding, ruleIndex: Map<string, number>) {
  const location = artifactLocation(r);
  const out: Record<string, unknown> = {
    ruleId: f.code,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: location, region: region(r, f.span.start, f.span.end) } }],
  };
  const idx = ruleIndex.get(f.code);
  if (idx !== undefined) out.ruleIndex = idx;
  if (f.related?.length) {
    // The chain behind a finding (CL109): each step, in this file or another.
    out.relatedLocations = f.related.map((rel, id) => {
      const here = !rel.file || rel.file === r.path;
      const physicalLocation = here
        ? { artifactLocation: location, region: region(r, rel.span.start, rel.span.end) }
        : { artifactLocation: { uri: pathToFileURL(rel.file as string).href }, region: { startLine: rel.line ?? 1 } };
      return { id, message: { text: rel.message }, physicalLocation };
    });
  }
  if (f.fix && f.fix.edits.length) {
    out.fixes = [
      {
        description: { text: f.fix.title },
        artifactChanges: [
          {
            artifactLocation: location,
            replacements: [...f.fix.edits]
              .sort((a, b) => a.start - b.start || a.end - b.end)
              .map((e) => ({ deletedRegion: region(r, e.start, e.end), insertedContent: { text: e.content } })),
          },
        ],
      },
    ];
    out.properties = { fixApplicability: f.fix.applicability };
  }
  return out;
}

export function buildSarif(reports: readonly FileReport[], opts: SarifOptions): object {
  const ruleIndex = new Map(opts.rules.map((m, i) => [m.code, i]));
  const results = reports.flatMap((r) => r.findings.map((f) => result(r, f, ruleIndex)));
  const srcroot = pathToFileURL(opts.cwd.endsWith('/') ? opts.cwd : `${opts.cwd}/`).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'conclens',
            fullName: 'Concurrency Lens',
            version: opts.version,
            semanticVersion: opts.version,
            informationUri: INFORMATION_URI,
            rules: opts.rules.map(rule),
          },
        },
        invocations: [
          {
            executionSuccessful: opts.successful ?? true,
            toolExecutionNotifications: (opts.notes ?? []).map((text) => ({ level: 'warning', message: { text } })),
          },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: srcroot } },
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
}

export function formatSarif(reports: readonly FileReport[], opts: SarifOptions): string {
  return `${JSON.stringify(buildSarif(reports, opts), null, 2)}\n`;
}
