// Usage text for `conclens --help` and `conclens <command> --help`.

export const MAIN_HELP = `Concurrency Lens: finds Python concurrency mistakes (blocking calls in async code, ...).

Usage: conclens <command> [options]

Commands:
  check [PATHS...]   Lint Python files and folders (default: .); \`-\` reads standard input
  explain CODE       Print a rule's explanation (CL101, ...)
  rules              List the rules

Options:
  -h, --help         Show help (also: conclens <command> --help)
  -V, --version      Print the version

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
Set CONCLENS_DEBUG=1 to see stack traces of internal errors.
`;

export const CHECK_HELP = `Usage: conclens check [options] [PATHS...]

Lints *.py and *.pyi files under PATHS (default: .), skipping .git, node_modules,
virtual environments, __pycache__, \`exclude\` patterns and .gitignore'd paths.
A file named explicitly is linted even if excluded, unless --force-exclude.
A PATH of \`-\` reads the source from standard input.

Options:
      --select CODES         Only these rules (comma list of codes or prefixes: CL1, CL101, ALL)
      --ignore CODES         Skip these rules (comma list of codes or prefixes)
      --format FORMAT        text (default), json, sarif or github
  -o, --output-file PATH     Write the report to a file instead of standard output
      --fix                  Apply safe fixes (files are rewritten atomically)
      --unsafe-fixes         Also show, and with --fix apply, fixes marked unsafe
      --stdin-filename NAME  Name of the file read from standard input (for config and messages)
      --statistics           Print the number of findings per rule instead of the findings
      --exclude PATTERNS     More paths to skip (comma list, .gitignore syntax), added to the config's
      --force-exclude        Apply excludes to paths named on the command line too
      --no-respect-gitignore Lint files even if .gitignore lists them
      --config PATH          Read settings from this pyproject.toml instead of searching for one
      --no-config            Ignore pyproject.toml files
      --exit-zero            Exit with 0 even if there are findings
  -q, --quiet                Print the findings only, without the summary line
      --threads N            Worker threads (default 0: one per core; 1: this thread only).
                             Small runs and --fix use one thread; the output is the same
  -h, --help                 Show this help

Configuration: the nearest pyproject.toml with a [tool.conclens] table, searched upwards
from the first PATH. Keys: select, ignore, severity, extend-blocking-calls, free-threaded, exclude.
`;

export const EXPLAIN_HELP = `Usage: conclens explain [--format text|json] CODE

Prints what the rule finds, why it matters, an example and the fix.
`;

export const RULES_HELP = `Usage: conclens rules [--format text|json]

Lists every rule: code, name, default severity, whether it has a fix, summary.
`;
