// A tiny reader for ZIP archives (enough for pyodide's python_stdlib.zip): the end of
// central directory record, the central directory, and each entry's data, stored (method
// 0) or deflated (method 8, node:zlib's inflateRaw). No ZIP64, no encryption, no network.
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** @returns {{ name: string, method: number, size: number, read: () => Buffer }[]} */
export function zipEntries(buf) {
  // The end of central directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP archive (no end of central directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== CENTRAL) throw new Error(`bad central directory entry #${n}`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    out.push({
      name,
      method,
      size,
      read() {
        if (buf.readUInt32LE(local) !== LOCAL) throw new Error(`${name}: bad local header`);
        // The local header has its own name and extra lengths.
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + compressed);
        let bytes;
        if (method === 0) bytes = Buffer.from(data);
        else if (method === 8) bytes = inflateRawSync(data);
        else throw new Error(`${name}: compression method ${method} is not supported`);
        if (bytes.length !== size) throw new Error(`${name}: ${bytes.length} bytes, expected ${size}`);
        return bytes;
      },
    });
  }
  return out;
}
