/** What a CLI command may touch: its output streams, the working directory and a cancel signal. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl+C; long commands stop their work and clean up. */
  signal: AbortSignal;
  /** Raw bytes to stdout/stderr (`run` passes the script's output through untouched). */
  write?(stream: 'stdout' | 'stderr', data: Buffer): void;
  /** The CLI's own stdin (`run` pipes it to the script). */
  stdin?: NodeJS.ReadStream;
  /** Whether stdout / stderr are terminals (colours only then). */
  isTTY?: { stdout: boolean; stderr: boolean };
}

/** The CLI's IO on the real process. */
export function processIO(signal: AbortSignal): CliIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    signal,
    write: (stream, data) => (stream === 'stdout' ? process.stdout : process.stderr).write(data),
    get stdin() {
      return process.stdin; // created on first use only
    },
    isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
  };
}
