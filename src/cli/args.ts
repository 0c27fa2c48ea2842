// A small command-line parser: `--name value`, `--name=value`, boolean flags, short
// aliases, `--` to end options. Errors are UsageError (exit code 2), never a crash.

export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** Takes a value; repeated value options accumulate. */
  value?: boolean;
  /** Not listed in --help. */
  hidden?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const out: ParsedArgs = { positionals: [], flags: new Set(), values: new Map() };
  let i = 0;
  const take = (spec: OptionSpec, inline: string | undefined, shown: string): void => {
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`option ${shown} takes no value`);
      out.flags.add(spec.name);
      return;
    }
    let v = inline;
    if (v === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`option ${shown} needs a value`);
      v = argv[++i];
    }
    const list = out.values.get(spec.name) ?? [];
    list.push(v);
    out.values.set(spec.name, list);
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
      take(spec, eq < 0 ? undefined : arg.slice(eq + 1), `--${name}`);
    } else if (arg.length > 1 && arg.startsWith('-') && arg !== '-') {
      const spec = byShort.get(arg.slice(1, 2));
      if (!spec) throw new UsageError(`unknown option ${arg}`);
      const rest = arg.slice(2);
      take(spec, rest.length ? rest.replace(/^=/, '') : undefined, `-${spec.short}`);
    } else {
      out.positionals.push(arg);
    }
  }
  return out;
}

/** The last value given for an option (later flags override earlier ones, as usual). */
export function lastValue(args: ParsedArgs, name: string): string | undefined {
  const list = args.values.get(name);
  return list ? list[list.length - 1] : undefined;
}

export function allValues(args: ParsedArgs, name: string): string[] {
  return args.values.get(name) ?? [];
}
