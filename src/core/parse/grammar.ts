// The one place that loads web-tree-sitter and the Python grammar. Loaded once per
// process (or web worker) and cached; every caller awaits the same promise.
import { Language, Parser } from 'web-tree-sitter';
import { enableMemoryCursor, rawTreeSitter, type RawTreeSitter } from './syntax';

export interface GrammarSource {
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm (Node). Defaults to the bundle's folder. */
  wasmDir?: string;
  /** Or the bytes / URLs themselves (web worker). */
  runtimeWasm?: Uint8Array | string;
  grammarWasm?: Uint8Array | string;
}

/** Why the memory cursor is off after its self-check at load (undefined: on, or not tried). */
export let memoryCursorProblem: string | undefined;

/**
 * Parsed at load and read both ways (memory cursor and web-tree-sitter's exports); the
 * memory cursor is used only if the two reads agree. It has aliased nodes, fields under
 * hidden rules, extras (comments, line continuations), ERROR and MISSING nodes.
 */
export const MEMORY_CURSOR_SAMPLE = [
  '#!/usr/bin/env python3',
  'from __future__ import annotations',
  'import os.path as osp, sys',
  'from .. import a as b',
  'from .pkg.mod import (x, y as z)',
  '@decorator(arg=1)',
  'class C(Base, metaclass=M):',
  "    '''doc'''",
  '    attr: int = 0  # comment',
  '    async def m(self, a, /, b: int = 2, *args, c, **kw) -> None:',
  '        async with lock as (l, k), other:',
  '            await asyncio.sleep(1)',
  '        async for i in aiter():',
  '            yield i',
  '        return [x * 2 for x in range(10) if x not in s if x is not None]',
  'def f(a, b=lambda q: q + 1, *, c):',
  '    global g',
  '    d2 = {k: v for k, v in d.items()}',
  '    s = f"{a!r:>{width}} {b[1:2, ::3]}" "implicit" \\',
  '        "concat"',
  '    try:',
  '        del a[0], b.c',
  '    except* (ValueError, TypeError) as e:',
  '        raise RuntimeError() from e',
  '    finally:',
  '        pass',
  '    match command.split():',
  '        case [Point(x=0, y=0), *rest] | {"k": _} if rest:',
  '            print("origin", end="")',
  '        case _:',
  '            ...',
  '    while (n := n - 1) > 0 and not done: assert n, "msg"',
  '    type Alias[T] = list[T]',
  '    return (yield from gen()), -x ** 2, a if b else c, ~y, *rest',
  'print >> sys.stderr, "py2"',
  'exec "code"',
  'def broken(:',
  '    pass',
  'value = call(a, b',
  '',
].join('\n');

export interface Grammar {
  language: Language;
  newParser(): Parser;
  /**
   * web-tree-sitter's C exports, for the fast tree walk (syntax.ts). Absent when another
   * caller initialised web-tree-sitter first with its own module object: the walk then
   * goes through the public cursor API.
   */
  raw?: RawTreeSitter;
  /** Bytes of web-tree-sitter's WebAssembly memory (the benchmark's memory figures). */
  wasmHeapBytes(): number;
}

let loading: Promise<Grammar> | undefined;

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + file : `${dir}/${file}`;
}

export function loadGrammar(source: GrammarSource = {}): Promise<Grammar> {
  loading ??= doLoad(source).catch((err) => {
    loading = undefined; // let a later call retry
    throw err;
  });
  return loading;
}

async function doLoad(source: GrammarSource): Promise<Grammar> {
  const dir = source.wasmDir ?? (typeof __dirname === 'string' ? __dirname : '.');
  const runtime = source.runtimeWasm ?? joinPath(dir, 'tree-sitter.wasm');
  const init: Record<string, unknown> = {};
  if (typeof runtime === 'string') init.locateFile = () => runtime;
  else init.wasmBinary = runtime;
  await Parser.init(init);
  const grammarInput = source.grammarWasm ?? joinPath(dir, 'tree-sitter-python.wasm');
  let language: Language;
  try {
    language = await Language.load(grammarInput);
  } catch (err) {
    throw new Error(`cannot load the Python grammar (${typeof grammarInput === 'string' ? grammarInput : 'bytes'}): ${(err as Error).message}`);
  }
  checkAbi(language.abiVersion);
  const raw = rawTreeSitter(init);
  if (raw) {
    const parser = new Parser();
    try {
      parser.setLanguage(language);
      const tree = parser.parse(MEMORY_CURSOR_SAMPLE);
      if (tree) {
        memoryCursorProblem = enableMemoryCursor(raw, language, tree, MEMORY_CURSOR_SAMPLE);
        tree.delete();
      }
    } finally {
      parser.delete();
    }
  }
  return {
    language,
    raw,
    wasmHeapBytes: () => (raw ? raw.module.HEAP8.buffer.byteLength : 0),
    newParser() {
      const p = new Parser();
      p.setLanguage(language);
      return p;
    },
  };
}

// web-tree-sitter 0.25 loads grammars of ABI 13..15; Language.load already rejects others,
// this states the range we tested so a grammar bump is a conscious change.
export const SUPPORTED_ABI = { min: 13, max: 15 };
export function checkAbi(abi: number): void {
  if (abi < SUPPORTED_ABI.min || abi > SUPPORTED_ABI.max) {
    throw new Error(`tree-sitter-python grammar has ABI ${abi}; this build supports ${SUPPORTED_ABI.min}..${SUPPORTED_ABI.max} (see grammars/VERSION)`);
  }
}
