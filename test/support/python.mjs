// Finds every CPython ≥ 3.8 on the machine: pyenv's versions, `python3` on the PATH and the
// interpreters named in PARASCOPE_TEST_PYTHONS (paths separated by the path delimiter, for builds
// outside pyenv), deduplicated by version. Used by the python tier and the benchmarks.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function probe(executable) {
  try {
    const out = execFileSync(executable, ['-c', 'import sys, platform; print("%d.%d.%d %s" % (sys.version_info[:3] + (platform.python_implementation(),)))'], {
      encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const [version, implementation] = out.split(' ');
    return { executable, version, implementation };
  } catch {
    return undefined;
  }
}

function pyenvRoot() {
  if (process.env.PYENV_ROOT) return process.env.PYENV_ROOT;
  try {
    return execFileSync('pyenv', ['root'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    const home = process.env.HOME ?? '';
    return existsSync(join(home, '.pyenv')) ? join(home, '.pyenv') : undefined;
  }
}

/** [{executable, version, implementation}] for CPython ≥ 3.8, oldest first. */
export function findInterpreters({ minimum = [3, 8] } = {}) {
  const candidates = [];
  const root = pyenvRoot();
  if (root && existsSync(join(root, 'versions'))) {
    for (const name of readdirSync(join(root, 'versions'))) {
      for (const binary of ['python3', 'python']) {
        const path = join(root, 'versions', name, 'bin', binary);
        if (existsSync(path)) { candidates.push(path); break; }
      }
    }
  }
  for (const name of ['python3', '/usr/bin/python3']) candidates.push(name);
  for (const path of (process.env.PARASCOPE_TEST_PYTHONS ?? '').split(delimiter)) if (path) candidates.push(path);
  const byVersion = new Map();
  for (const candidate of candidates) {
    const found = probe(candidate);
    if (!found || found.implementation !== 'CPython') continue;
    const [major, minor] = found.version.split('.').map(Number);
    if (major < minimum[0] || (major === minimum[0] && minor < minimum[1])) continue;
    if (!byVersion.has(found.version)) {
      let real = candidate;
      try { real = realpathSync(candidate); } catch { /* a name on the PATH */ }
      byVersion.set(found.version, { ...found, real });
    }
  }
  return [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version));
}

export function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Python 2, when present (for the "needs Python 3.8" message tests). */
export function findPython2() {
  const root = pyenvRoot();
  if (!root || !existsSync(join(root, 'versions'))) return undefined;
  const name = readdirSync(join(root, 'versions')).find((v) => v.startsWith('2.'));
  return name ? join(root, 'versions', name, 'bin', 'python') : undefined;
}
