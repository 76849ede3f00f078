/** What a CLI command may touch: its output streams, the working directory and a cancel signal. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl+C; long commands stop their work and clean up. */
  signal: AbortSignal;
}

/** The CLI's IO on the real process. */
export function processIO(signal: AbortSignal): CliIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    signal,
  };
}
