// ANSI colours for terminal output, following the NO_COLOR / FORCE_COLOR conventions.

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
}

const plain = (s: string) => s;
const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export const NO_COLOR: Palette = { bold: plain, dim: plain, red: plain, yellow: plain, cyan: plain, green: plain };
export const ANSI: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  green: wrap(32, 39),
};

/** NO_COLOR (any non-empty value) wins, then FORCE_COLOR (not "0"/"false"), then "is it a terminal". */
export function useColor(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return !!isTTY && env.TERM !== 'dumb';
}
