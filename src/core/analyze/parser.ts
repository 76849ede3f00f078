/**
 * The Python parser: tree-sitter's Python grammar compiled to WebAssembly (VS Code's own
 * `@vscode/tree-sitter-wasm`). Nothing is loaded until the first Python document needs it;
 * `loadPython()` then compiles the runtime and the grammar once and shares them.
 *
 * The wasm files ship in `dist/wasm/` next to the bundles (esbuild.mjs copies them); the unit
 * tests run from `out/`, where the package's own `wasm/` folder is used instead.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Language, Parser, Tree } from '@vscode/tree-sitter-wasm';

export interface PythonGrammar {
  language: Language;
  /** Parses a whole text, or re-parses an edited one reusing `old` (already `edit()`ed). */
  parse(text: string, old?: Tree | null): Tree;
}

let loading: Promise<PythonGrammar> | undefined;

/** Folder holding `tree-sitter.wasm` and `tree-sitter-python.wasm`. */
export function wasmFolder(): string {
  const bundled = join(__dirname, 'wasm');
  if (existsSync(join(bundled, 'tree-sitter-python.wasm'))) return bundled;
  return join(dirname(resolvePackage('@vscode/tree-sitter-wasm/package.json')), 'wasm');
}

/** `require.resolve` at run time (only the unbundled tests get here; esbuild need not follow it). */
function resolvePackage(request: string): string {
  return require.resolve(request);
}

/** Loads the parser once (lazily); later calls return the same grammar. */
export function loadPython(): Promise<PythonGrammar> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<PythonGrammar> {
  // Bundled, esbuild hands over the module itself; run from out/, Node's ESM loader wraps the
  // CommonJS module in `default`.
  const loaded: typeof import('@vscode/tree-sitter-wasm') & { default?: typeof import('@vscode/tree-sitter-wasm') } =
    await import('@vscode/tree-sitter-wasm');
  const ts = loaded.Parser ? loaded : loaded.default!;
  const folder = wasmFolder();
  await ts.Parser.init({ locateFile: (file: string) => join(folder, file) });
  const language = await ts.Language.load(join(folder, 'tree-sitter-python.wasm'));
  const parser: Parser = new ts.Parser();
  parser.setLanguage(language);
  return {
    language,
    parse(text, old) {
      const tree = parser.parse(text, old ?? null);
      if (!tree) throw new Error('the Python parser returned no tree');
      return tree;
    },
  };
}
