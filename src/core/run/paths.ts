/**
 * Files that ship next to the code: the Python harness (`python/parascope_harness`), the
 * webview bundle (`media/`), the examples. The bundles live in `dist/` and the test build in
 * `out/src/…`, so each is found by walking up from this file's folder.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above `from` that contains `relative`, or null. */
export function findUp(relative: string, from: string = __dirname): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** `<extension root>/python`: the folder to put on PYTHONPATH so `-m parascope_harness` works. */
export function findHarnessRoot(from: string = __dirname): string | null {
  const root = findUp(join('python', 'parascope_harness'), from);
  return root === null ? null : join(root, 'python');
}

/** The extension's (or repository's) root: the folder holding `python/parascope_harness`, else `package.json`. */
export function findExtensionRoot(from: string = __dirname): string | null {
  return findUp(join('python', 'parascope_harness'), from) ?? findUp('package.json', from);
}
