// The process's side of the CLI, behind an interface so tests can run commands in-process.

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  out(text: string | Uint8Array): void;
  err(text: string): void;
  readStdin(): Promise<Buffer>;
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: !!process.stdout.isTTY,
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      return Buffer.concat(chunks);
    },
  };
}

/** Collects output in memory (tests). */
export function memoryIo(cwd: string, stdin = '', env: NodeJS.ProcessEnv = {}): Io & { stdout: string; stderr: string } {
  const io = {
    cwd,
    env,
    stdoutIsTTY: false,
    stdout: '',
    stderr: '',
    out(t: string | Uint8Array) {
      io.stdout += typeof t === 'string' ? t : Buffer.from(t).toString('utf8');
    },
    err(t: string) {
      io.stderr += t;
    },
    async readStdin() {
      return Buffer.from(stdin, 'utf8');
    },
  };
  return io;
}
