/**
 * The one way Parascope starts Python: argument arrays (never a shell), unbuffered UTF-8
 * output, the harness first on `PYTHONPATH`. Used for the workload (`startRun`, detached so it
 * leads its own process group and session) and for the interpreter probe (`runPythonCapture`).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { delimiter } from 'node:path';

export interface PythonSpawnOptions {
  executable: string;
  args: string[];
  cwd: string;
  /** Extra variables over the inherited environment. */
  env?: Record<string, string>;
  /** Folder holding `parascope_harness`, prepended to any existing PYTHONPATH. */
  harnessRoot?: string | null;
  /** Lead a new process group + session (POSIX), so the whole tree can be signalled. */
  detached?: boolean;
}

/** The environment a Python child gets. */
export function pythonEnv(
  base: NodeJS.ProcessEnv,
  extra: Record<string, string> | undefined,
  harnessRoot: string | null | undefined,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...(extra ?? {}) };
  env.PYTHONUNBUFFERED = '1';
  env.PYTHONIOENCODING = 'utf-8';
  if (harnessRoot) {
    const existing = env.PYTHONPATH;
    env.PYTHONPATH = existing ? `${harnessRoot}${delimiter}${existing}` : harnessRoot;
  }
  return env;
}

export function spawnPython(options: PythonSpawnOptions): ChildProcessWithoutNullStreams {
  return spawn(options.executable, options.args, {
    cwd: options.cwd,
    env: pythonEnv(process.env, options.env, options.harnessRoot),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.detached === true && process.platform !== 'win32',
    shell: false,
    windowsHide: true,
  });
}

export interface CaptureResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The spawn failure (ENOENT, EACCES, …), when it never ran. */
  error?: NodeJS.ErrnoException;
  timedOut: boolean;
}

const CAPTURE_LIMIT = 1024 * 1024;

/** Runs Python to completion and captures its output (the interpreter probe). */
export function runPythonCapture(options: PythonSpawnOptions & { timeoutMs: number }): Promise<CaptureResult> {
  return new Promise((resolve) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawnPython({ ...options, detached: false });
    } catch (error) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', error: error as NodeJS.ErrnoException, timedOut: false });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < CAPTURE_LIMIT) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < CAPTURE_LIMIT) err.push(chunk);
      errBytes += chunk.length;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end();
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.removeAllListeners();
      child.stdout.removeAllListeners();
      child.stderr.removeAllListeners();
      const result: CaptureResult = {
        code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut,
      };
      if (spawnError) result.error = spawnError;
      resolve(result);
    });
  });
}
