// Reads a file named for linting (or a config/.gitignore file) without ever blocking on
// something that is not a regular file: a FIFO named `x.py` would make a plain read wait
// for a writer forever, a character device (`/dev/zero`) would never end. The file is
// opened non-blocking, checked with fstat on the same descriptor, then read.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** Error code for a path that exists but is not a regular file (FIFO, socket, device). */
export const NOT_REGULAR = 'ENOTREGULAR';

export function readRegularFile(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
      throw Object.assign(new Error(`${path} is ${kind}`), { code: st.isDirectory() ? 'EISDIR' : NOT_REGULAR, kind });
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
