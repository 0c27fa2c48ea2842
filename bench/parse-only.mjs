// The floor of this design: a fresh process that parses every file with web-tree-sitter
// on one thread and does nothing else (bench/run.mjs times the whole process).
//   node bench/parse-only.mjs FILELIST WASMDIR   (one path per line; the folder of tree-sitter.wasm and tree-sitter-python.wasm)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

const [list, wasmDir] = process.argv.slice(2);
const files = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const t0 = performance.now();
await Parser.init({ locateFile: () => join(wasmDir, 'tree-sitter.wasm') });
const language = await Language.load(join(wasmDir, 'tree-sitter-python.wasm'));
const parser = new Parser();
parser.setLanguage(language);
const t1 = performance.now();
let nodes = 0;
for (const file of files) {
  const tree = parser.parse(readFileSync(file, 'utf8'));
  nodes += tree.rootNode.descendantCount;
  tree.delete();
}
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ files: files.length, nodes, loadMs: t1 - t0, parseMs: t2 - t1 })}\n`);
