// Command dispatch: argv in, exit code out. main.ts wires it to the process; tests call it.
import { allRules, ruleByCode } from '../core/rules/index';
import { splitCodeList, validateCodes } from '../core/config/codes';
import { allValues, lastValue, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from './args';
import { runCheck, type CheckOptions, type OutputFormat } from './check';
import { explainRule } from './explain';
import { formatRules } from './rules';
import { docsDrift, writeDocs } from './docs';
import { CHECK_HELP, EXPLAIN_HELP, MAIN_HELP, RULES_HELP } from './help';
import type { Io } from './io';
import { VERSION } from './version';

const HELP: OptionSpec = { name: 'help', short: 'h' };

const CHECK_OPTIONS: OptionSpec[] = [
  HELP,
  { name: 'select', value: true },
  { name: 'ignore', value: true },
  { name: 'exclude', value: true },
  { name: 'format', value: true },
  { name: 'output-format', value: true, hidden: true },
  { name: 'output-file', short: 'o', value: true },
  { name: 'fix' },
  { name: 'no-fix' },
  { name: 'unsafe-fixes' },
  { name: 'stdin-filename', value: true },
  { name: 'statistics' },
  { name: 'no-config' },
  { name: 'config', value: true },
  { name: 'quiet', short: 'q' },
  { name: 'force-exclude' },
  { name: 'no-respect-gitignore' },
  { name: 'exit-zero' },
  { name: 'threads', value: true },
];

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

function knownCodes(): string[] {
  return allRules.map((r) => r.meta.code);
}

function codesOption(args: ParsedArgs, name: string): string[] | undefined {
  const raw = allValues(args, name);
  if (raw.length === 0) return undefined;
  const codes = raw.flatMap(splitCodeList);
  const unknown = validateCodes(codes, knownCodes());
  if (unknown.length) throw new UsageError(`--${name}: unknown rule code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see conclens rules)`);
  return codes;
}

function formatOption<T extends string>(args: ParsedArgs, allowed: readonly T[], name = 'format'): T {
  const f = lastValue(args, name) ?? lastValue(args, 'output-format') ?? allowed[0];
  if (!(allowed as readonly string[]).includes(f)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${f}"`);
  return f as T;
}

function checkOptions(args: ParsedArgs, io: Io): CheckOptions {
  const has = (f: string) => args.flags.has(f);
  const opts: CheckOptions = {
    paths: args.positionals,
    select: codesOption(args, 'select'),
    ignore: codesOption(args, 'ignore'),
    exclude: allValues(args, 'exclude').flatMap((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
    format: formatOption(args, FORMATS),
    fix: has('fix') && !has('no-fix'),
    unsafeFixes: has('unsafe-fixes'),
    stdinFilename: lastValue(args, 'stdin-filename'),
    statistics: has('statistics'),
    noConfig: has('no-config'),
    config: lastValue(args, 'config'),
    quiet: has('quiet'),
    forceExclude: has('force-exclude'),
    respectGitignore: !has('no-respect-gitignore'),
    exitZero: has('exit-zero'),
    outputFile: lastValue(args, 'output-file'),
    debug: io.env.CONCLENS_DEBUG === '1',
    threads: threadsOption(args),
  };
  if (opts.noConfig && opts.config) throw new UsageError('--config and --no-config cannot be used together');
  if (opts.paths.includes('-') && opts.paths.length > 1) throw new UsageError('`-` (standard input) cannot be combined with other paths');
  if (opts.stdinFilename && opts.paths.length > 0 && !(opts.paths.length === 1 && opts.paths[0] === '-')) {
    throw new UsageError('--stdin-filename reads standard input; give no PATHS (or `-`)');
  }
  return opts;
}

function threadsOption(args: ParsedArgs): number | undefined {
  const raw = lastValue(args, 'threads');
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--threads must be a whole number (0: one per core), not "${raw}"`);
  return Number(raw.trim());
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`conclens: ${err.message}\n`);
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    io.err(`conclens: internal error: ${e.message}\n`);
    if (io.env.CONCLENS_DEBUG === '1' && e.stack) io.err(`${e.stack}\n`);
    else io.err('(set CONCLENS_DEBUG=1 for details)\n');
    return 2;
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.err(MAIN_HELP);
      return 2;
    case '-h':
    case '--help':
    case 'help':
      io.out(MAIN_HELP);
      return 0;
    case '-V':
    case '--version':
    case 'version':
      io.out(`conclens ${VERSION}\n`);
      return 0;
    case 'check': {
      const args = parseArgs(rest, CHECK_OPTIONS);
      if (args.flags.has('help')) return help(io, CHECK_HELP);
      return runCheck(checkOptions(args, io), io);
    }
    case 'explain': {
      const args = parseArgs(rest, [HELP, { name: 'format', value: true }]);
      if (args.flags.has('help')) return help(io, EXPLAIN_HELP);
      const format = formatOption(args, ['text', 'json'] as const);
      if (args.positionals.length !== 1) throw new UsageError('explain needs exactly one rule code, e.g. conclens explain CL101');
      const code = args.positionals[0].trim().toUpperCase();
      const rule = ruleByCode(code);
      if (!rule) throw new UsageError(`unknown rule code "${args.positionals[0]}" (see conclens rules)`);
      io.out(explainRule(rule.meta, format));
      return 0;
    }
    case 'rules': {
      const args = parseArgs(rest, [HELP, { name: 'format', value: true }]);
      if (args.flags.has('help')) return help(io, RULES_HELP);
      if (args.positionals.length) throw new UsageError(`rules takes no arguments (got "${args.positionals[0]}")`);
      io.out(formatRules(allRules.map((r) => r.meta), formatOption(args, ['text', 'json'] as const)));
      return 0;
    }
    case 'docs': {
      // Hidden: used by `npm run docs`.
      const args = parseArgs(rest, [{ name: 'write', value: true }, { name: 'check', value: true }]);
      const metas = allRules.map((r) => r.meta);
      const checkDir = lastValue(args, 'check');
      if (checkDir) {
        const drift = docsDrift(checkDir, metas);
        for (const name of drift) io.err(`${checkDir}/${name} is out of date; run npm run docs\n`);
        return drift.length ? 1 : 0;
      }
      const dir = lastValue(args, 'write') ?? 'docs/rules';
      const changed = writeDocs(dir, metas);
      io.out(changed.length ? `updated ${changed.map((n) => `${dir}/${n}`).join(', ')}\n` : `${dir} is up to date\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}" (commands: check, explain, rules; see conclens --help)`);
  }
}

function help(io: Io, text: string): number {
  io.out(text);
  return 0;
}
