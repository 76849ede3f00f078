#!/usr/bin/env node
// Extension activation cost: loading dist/extension.js and calling activate(), in a fresh Node
// process each time (cold module cache, as in a new extension host), against the product's
// 50 ms target. `vscode` is a do-nothing stand-in, so this measures Parascope's own work: module
// evaluation and wiring — not VS Code's API calls. The Python parser must not load here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TARGET_MS = 50;
const RUNS = 15;

const child = String.raw`
const Module = require('node:module');
// Every property is another stand-in; assignments are kept; calls and constructors return one.
const stub = () => {
  const own = {};
  return new Proxy(function () {}, {
    get: (_target, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : (own[key] ??= stub())),
    set: (_target, key, value) => { own[key] = value; return true; },
    apply: () => stub(),
    construct: () => stub(),
  });
};
// esbuild's ESM interop copies the module's own keys: list the API names the bundle uses.
const names = [...new Set([...require('node:fs').readFileSync(process.argv[1], 'utf8').matchAll(/\bvscode\d*\.([A-Za-z_]\w*)/g)].map((m) => m[1]))];
const members = {};
const vscode = new Proxy({}, {
  get: (_t, key) => (key === '__esModule' ? false : (members[key] ??= stub())),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_t, key) => ({ configurable: true, enumerable: true, writable: true, value: (members[key] ??= stub()) }),
});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const context = { subscriptions: [], extensionUri: stub(), workspaceState: stub(), globalState: stub(), storageUri: undefined, globalStorageUri: stub() };
const t0 = process.hrtime.bigint();
const extension = require(process.argv[1]);
const t1 = process.hrtime.bigint();
extension.activate(context);
const t2 = process.hrtime.bigint();
const wasm = Object.keys(require.cache).some((k) => k.includes('tree-sitter'));
process.stdout.write(JSON.stringify({ load: Number(t1 - t0) / 1e6, activate: Number(t2 - t1) / 1e6, disposables: context.subscriptions.length, parserLoaded: wasm }));
`;

if (!existsSync('dist/extension.js')) {
  console.error('dist/extension.js is missing: run `npm run build` first.');
  process.exit(2);
}
const samples = [];
for (let i = 0; i < RUNS; i++) {
  const result = spawnSync(process.execPath, ['-e', child, `${process.cwd()}/dist/extension.js`], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(1);
  }
  samples.push(JSON.parse(result.stdout));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = median(samples.map((s) => s.load));
const activate = median(samples.map((s) => s.activate));
const total = median(samples.map((s) => s.load + s.activate));
console.log(`activation (median of ${RUNS} cold processes): module load ${load.toFixed(1)} ms + activate() ${activate.toFixed(1)} ms = ${total.toFixed(1)} ms`);
console.log(`ratio to the 50 ms target: ${(total / TARGET_MS).toFixed(2)} ${total <= TARGET_MS ? '(met)' : '(NOT met)'}`);
console.log(`disposables registered: ${samples[0].disposables}; tree-sitter loaded at activation: ${samples.some((s) => s.parserLoaded) ? 'YES (it should load lazily)' : 'no'}`);
