/**
 * Finds and validates the Python interpreter a run uses: an explicit path (the Python
 * extension's selection, the setting or `--python`), else `python3` on the PATH. It is run
 * once with `probe.ts` and must be Python ≥ 3.8; anything else is a `UserFacingError` that
 * names what was tried and what to do. Answers are cached per executable path + mtime (+ the
 * working folder for wrapper scripts such as pyenv shims, whose answer depends on it).
 */
import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UserFacingError } from '../errors';
import type { PythonInfo, StartMethod } from '../report/model';
import { runPythonCapture } from '../run/spawn';
import { parseProbeOutput, PROBE_CODE } from './probe';

export const MINIMUM_VERSION: readonly [number, number] = [3, 8];
export const DEFAULT_INTERPRETER = 'python3';

export interface Interpreter extends PythonInfo {
  /** What was asked for (a path, or `python3`). */
  requested: string;
  /** The file that was found and probed. */
  path: string;
  /** What to spawn: the interpreter's own `sys.executable` (skips wrapper scripts), else `path`. */
  command: string;
  versionInfo: [number, number, number];
  defaultStartMethod: StartMethod | null;
  /** CPUs this process may run on (`sched_getaffinity`), as Python sees them. */
  affinityCpus: number | null;
  cpuCount: number | null;
  platform: string;
}

export interface ResolveOptions {
  /** Folder relative paths are resolved against (and the probe runs in). */
  cwd?: string;
  /** Environment (PATH lookup; the probe runs with it, as the script will). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const cache = new Map<string, Promise<Interpreter>>();

export function clearInterpreterCache(): void {
  cache.clear();
}

const HINT = 'Choose a Python 3.8+ interpreter: pass --python PATH, set parascope.python.interpreterPath, or pick one with the Python extension.';

export async function resolveInterpreter(explicit: string | null, options: ResolveOptions = {}): Promise<Interpreter> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const requested = explicit !== null && explicit.trim() !== '' ? explicit.trim() : DEFAULT_INTERPRETER;
  const path = await locate(requested, cwd, env);
  const info = await stat(path);
  const wrapper = await isScript(path);
  const key = [path, info.mtimeMs, info.size, wrapper ? cwd : '', wrapper ? env.PYENV_VERSION ?? '' : ''].join('\0');
  let pending = cache.get(key);
  if (!pending) {
    const extra: Record<string, string> = {};
    if (options.env) for (const [name, value] of Object.entries(options.env)) if (value !== undefined) extra[name] = value;
    pending = probe(requested, path, cwd, extra, options.timeoutMs ?? 20_000);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

async function locate(requested: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const expanded = requested === '~' || requested.startsWith('~/') ? join(homedir(), requested.slice(1)) : requested;
  if (isAbsolute(expanded) || expanded.includes('/') || expanded.includes('\\')) {
    const path = resolve(cwd, expanded);
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new UserFacingError(`Python interpreter not found: ${path} does not exist.`, HINT);
    }
    if (info.isDirectory()) {
      const inside = await firstExecutable([join(path, 'bin', 'python3'), join(path, 'bin', 'python'), join(path, 'python.exe')]);
      throw new UserFacingError(
        `${path} is a folder, not a Python interpreter.`,
        inside ? `Did you mean ${inside}?` : HINT,
      );
    }
    if (!(await isExecutable(path))) {
      throw new UserFacingError(`${path} is not executable, so it cannot be a Python interpreter.`, HINT);
    }
    return path;
  }
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d !== '');
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const extension of extensions) {
      const candidate = join(resolve(cwd, dir), expanded + extension);
      try {
        if ((await stat(candidate)).isFile() && (await isExecutable(candidate))) return candidate;
      } catch {
        // not here
      }
    }
  }
  throw new UserFacingError(
    `No Python interpreter found: tried '${requested}' on the PATH (${dirs.length} folder${dirs.length === 1 ? '' : 's'}).`,
    'Install Python 3.8 or later, or pass --python PATH, set parascope.python.interpreterPath, or pick one with the Python extension.',
  );
}

async function probe(requested: string, path: string, cwd: string, env: Record<string, string>, timeoutMs: number): Promise<Interpreter> {
  const result = await runPythonCapture({ executable: path, args: ['-c', PROBE_CODE], cwd, env, timeoutMs });
  if (result.error) {
    const reason = result.error.code === 'EACCES' ? 'permission denied' : result.error.code === 'ENOENT'
      ? 'the file or the interpreter its first line names is missing' : result.error.message;
    throw new UserFacingError(`Could not start the Python interpreter ${path}: ${reason}.`, HINT);
  }
  if (result.timedOut) {
    throw new UserFacingError(`The Python interpreter ${path} did not answer within ${Math.round(timeoutMs / 1000)} s.`, HINT);
  }
  const outcome = parseProbeOutput(result.stdout);
  if (outcome.kind === 'not-python') {
    const said = (result.stdout.trim() || result.stderr.trim()).split('\n')[0]?.slice(0, 160) ?? '';
    throw new UserFacingError(
      `${path} does not look like a Python interpreter: running it with -c ${said ? `printed "${said}"` : 'printed nothing'}` +
        ` (exit ${result.code ?? result.signal}).`,
      HINT,
    );
  }
  const [major, minor, micro] = outcome.versionInfo;
  const version = `${major}.${minor}.${micro}`;
  const tooOld = major < MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1]);
  if (tooOld) {
    throw new UserFacingError(
      `${path}${requested !== path ? ` ('${requested}')` : ''} is Python ${version}; Parascope needs Python ${MINIMUM_VERSION.join('.')} or later.`,
      HINT,
    );
  }
  if (outcome.kind !== 'ok') {
    throw new UserFacingError(`The Python interpreter ${path} (Python ${version}) answered, but its report could not be read.`, HINT);
  }
  const { info } = outcome;
  return {
    requested,
    path,
    command: info.executable !== '' ? info.executable : path,
    executable: info.executable !== '' ? info.executable : path,
    version: info.version,
    implementation: info.implementation,
    gilEnabled: info.gilEnabled,
    freeThreaded: info.freeThreaded,
    versionInfo: outcome.versionInfo,
    defaultStartMethod: info.defaultStartMethod,
    affinityCpus: info.affinityCpus,
    cpuCount: info.cpuCount,
    platform: info.platform,
  };
}

async function isExecutable(path: string): Promise<boolean> {
  if (process.platform === 'win32') return true;
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function firstExecutable(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      if ((await stat(path)).isFile() && (await isExecutable(path))) return path;
    } catch {
      // next
    }
  }
  return undefined;
}

/** A script (`#!…`) rather than a binary: pyenv shims and other wrappers. */
async function isScript(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(2);
      await handle.read(head, 0, 2, 0);
      return head.toString('latin1') === '#!';
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}
