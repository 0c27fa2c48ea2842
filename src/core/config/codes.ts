// Checks rule selectors (`CL101`, prefixes like `CL1`, `ALL`) against the known codes, so a
// typo in config or on the command line is reported instead of silently selecting nothing.

const SELECTOR_SHAPE = /^(ALL|CL\d{0,3})$/;

/**
 * Returns the selectors that name no rule. A selector is valid when it is `ALL`, or has the
 * shape `CL` + up to three digits and is a prefix of at least one known code. When the list
 * of known codes is empty (no rules registered) only the shape is checked.
 */
export function validateCodes(codes: readonly string[], knownCodes: readonly string[], exact = false): string[] {
  const unknown: string[] = [];
  for (const code of codes) {
    if (!SELECTOR_SHAPE.test(code)) {
      unknown.push(code);
      continue;
    }
    if (code === 'ALL') {
      if (exact) unknown.push(code);
      continue;
    }
    if (knownCodes.length === 0) continue;
    const ok = exact ? knownCodes.includes(code) : knownCodes.some((k) => k.startsWith(code));
    if (!ok) unknown.push(code);
  }
  return unknown;
}

/** Splits a comma list from the command line: `CL101, CL102` → ['CL101', 'CL102']. */
export function splitCodeList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s.length > 0);
}
