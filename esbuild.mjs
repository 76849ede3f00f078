// One build script for every bundle (architecture.md, principle 8). Type checking is separate
// (`npm run typecheck`); this only bundles.
//
//   node esbuild.mjs               development build (source maps)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --production  minified, no source maps (what `npm run package` ships)
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Shared options; each bundle states only what differs. */
function build(options) {
  return {
    bundle: true,
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    target: 'es2022',
    define: { PARASCOPE_VERSION: JSON.stringify(pkg.version) },
    ...options,
  };
}

/** The tree-sitter runtime and Python grammar are loaded lazily at run time from dist/wasm. */
function copyWasm() {
  const from = join(require.resolve('@vscode/tree-sitter-wasm/package.json'), '..', 'wasm');
  mkdirSync('dist/wasm', { recursive: true });
  for (const name of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) {
    cpSync(join(from, name), join('dist/wasm', name));
  }
}

/** Every .ts file under a folder (for the non-bundled test build). */
function tsFiles(dir, skip = () => false) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip(path)) continue;
    if (statSync(path).isDirectory()) out.push(...tsFiles(path, skip));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const bundles = [
  // Extension host: Node, CommonJS, `vscode` provided by the host.
  build({
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  }),
  // The `parascope` CLI: the same core, no editor.
  build({
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // Webview: browser IIFE plus its stylesheet, into media/ (the only local resource root).
  build({
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'media',
    platform: 'browser',
    format: 'iife',
    loader: { '.css': 'css' },
  }),
  // Tests and the core they exercise, transpiled file by file for mocha (plain Node and the
  // real extension host). Not bundled, so each suite imports the modules it tests.
  {
    entryPoints: [
      ...tsFiles('src', (p) => relative('src', p).startsWith('webview')),
      ...tsFiles('test', (p) => p.startsWith(join('test', 'webview', 'page'))),
    ],
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    sourcemap: true,
    target: 'es2022',
    logLevel: 'warning',
  },
];

copyWasm();
if (watch) {
  for (const options of bundles) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching for changes…');
} else {
  const started = Date.now();
  await Promise.all(bundles.map((options) => esbuild.build(options)));
  console.log(`esbuild: ${bundles.length} builds in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
