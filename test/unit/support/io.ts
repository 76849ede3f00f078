import type { CliIO } from '../../../src/cli/io';

/** A CliIO that records what a command printed. */
export function recordingIO(cwd = process.cwd()): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) { io.stdout += text; },
    err(text: string) { io.stderr += text; },
    cwd,
    env: process.env,
    signal: new AbortController().signal,
  };
  return io;
}
