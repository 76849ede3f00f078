#!/usr/bin/env node
// The host tier: mocha inside a real VS Code extension host, plus UI checks a user would do.
//
// VS Code desktop cannot be downloaded here, so the host is code-server 4.100.3 (= VS Code
// 1.100.3, the engine we target), installed on demand into .vscode-test/ (ignored, like
// @vscode/test-electron's cache) and driven by headless chromium through playwright-core.
// See shared/research/real-vscode-tests.md for why each workaround exists.
//
// Phases (all by default; name some to run only those: `node test/host/run-code-server.mjs ui`):
//   mocha      the suites in out/test/host/suite run inside the extension host (`extensionTestsPath`);
//   ui         as a user: the palette opens the panel and its webview content is read back; an
//              example runs from the palette through the pool pickers; Stop Run ends a pool that
//              never finishes, checked through procfs;
//   untrusted  Workspace Trust on and the folder not trusted: out/test/host/untrusted suites check
//              that Run and Sweep refuse and start nothing while static checks still work;
//   vsix       the packaged .vsix installs with --install-extension and its commands are in the palette.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { launchOptions } from '../support/chromium.mjs';
import procfs from '../support/procfs.cjs';

const { processesMentioning } = procfs;

export const CODE_SERVER_VERSION = '4.100.3';
const ROOT = resolve('.');
const CACHE = join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const ENTRY = join(CACHE, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const ARTIFACTS = join(ROOT, '.test-artifacts', 'host');
let mochaSummary = 'no summary';
const phases = process.argv.slice(2).length ? process.argv.slice(2) : ['mocha', 'ui', 'untrusted', 'vsix'];

function log(message) {
  console.log(`[host] ${message}`);
}

// ── install ──────────────────────────────────────────────────────────────────────────────────

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** code-server's native modules need Kerberos headers and ripgrep (its own download is blocked). */
function ensureBuildPrerequisites() {
  const missing = [];
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (!existsSync('/usr/bin/rg')) missing.push('ripgrep');
  if (missing.length === 0) return;
  if (process.env.CI === 'true' && isRoot()) {
    log(`installing ${missing.join(', ')} (CI=true, running as root)…`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return;
  }
  throw new Error(`Installing code-server needs ${missing.join(' and ')}. Install with:\n  sudo apt-get install -y ${missing.join(' ')}`);
}

/** @vscode/ripgrep downloads rg from GitHub in postinstall; pre-seed its cache with Debian's rg. */
function seedRipgrepCache(tmp) {
  const cacheDir = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const tarball = join(cacheDir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(tarball)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  cpSync('/usr/bin/rg', join(staging, 'rg'));
  execFileSync('tar', ['czf', tarball, '-C', staging, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

function ensureCodeServer() {
  if (existsSync(ENTRY)) return;
  ensureBuildPrerequisites();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CACHE} (once; about a minute)…`);
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  const tmp = process.env.TMPDIR ?? tmpdir();
  seedRipgrepCache(tmp);
  execFileSync('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: CACHE,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      TMPDIR: tmp,
      // code-server's postinstall installs VS Code's own native modules (node-pty, spdlog,
      // watcher…); npm 11 blocks dependency install scripts unless told otherwise. Scoped to
      // this cache folder only.
      npm_config_dangerously_allow_all_scripts: 'true',
      npm_config_unsafe_perm: 'true', // code-server's postinstall insists on it as root
      npm_config_yes: 'true', // node-pty runs `npx node-gyp`, which would wait for a yes
    },
  });
  if (!existsSync(ENTRY)) throw new Error(`code-server did not install: ${ENTRY} is missing.`);
}

// ── server ───────────────────────────────────────────────────────────────────────────────────

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

async function startServer({ extensionsDir, extraArgs = [], trust = false }) {
  const port = await freePort();
  const userData = mkdtempSync(join(tmpdir(), 'parascope-vscode-user-'));
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': trust,
    'security.workspace.trust.startupPrompt': 'never',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'telemetry.telemetryLevel': 'off',
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
  }));
  const args = [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--user-data-dir', userData,
    '--extensions-dir', extensionsDir, ...extraArgs];
  // Its own process group: killing only code-server's pid leaves the pty host and watchers behind.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    output: () => output,
    stop() {
      for (const signal of ['SIGTERM', 'SIGKILL']) {
        try { process.kill(-child.pid, signal); } catch { /* already gone */ }
      }
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

/** A fresh copy of the fixture workspace, outside the repository (tests may edit its files). */
function workspaceCopy() {
  const folder = mkdtempSync(join(tmpdir(), 'parascope-workspace-'));
  cpSync(join(ROOT, 'test', 'fixtures', 'host-workspace'), folder, { recursive: true });
  return folder;
}

function workbenchUrl(base, folder, payload) {
  const url = new URL(base);
  url.searchParams.set('folder', folder);
  if (payload) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** The workbench's own chatter while offline: not ours, not useful. */
const NOISE = [/open-vsx\.org/, /^Resolving connection token|^Resolved connection token|^Creating a socket|^\[Service Worker\]/,
  /^Updating additional builtin extensions cache/, /^ChatSessionStore/, /^\[lifecycle\]/];

/** Console arguments as the browser would print them (printf-style %s / %d / %o substitutions). */
function formatConsole(args) {
  const show = (a) => (typeof a === 'string' ? a : JSON.stringify(a));
  if (typeof args[0] !== 'string' || !/%[sdoOifc]/.test(args[0])) return args.map(show).join(' ');
  const rest = args.slice(1);
  const head = args[0].replace(/%[sdoOifc]/g, (token) => (token === '%c' ? (rest.shift(), '') : rest.length ? show(rest.shift()) : token));
  return [head, ...rest.map(show)].join(' ');
}

/** A page with the hooks VS Code's test mode calls (`codeAutomationLog`, `codeAutomationExit`). */
async function openWorkbench(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let exit;
  const exited = new Promise((r) => { exit = r; });
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const text = formatConsole(Array.isArray(args) ? args : [args]);
    if (NOISE.some((pattern) => pattern.test(text))) return;
    console.log(text);
    const summary = /^host mocha: (.*)/.exec(text);
    if (summary) mochaSummary = summary[1];
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return { page, exited };
}

/**
 * Opens the command palette, types `query` and returns the labels it lists once `done(labels)`
 * holds. The workbench registers extension contributions shortly after it appears, and typing
 * the same text again does not refilter, so each attempt clears the box first.
 */
async function paletteLabels(page, query, done, timeoutMs = 30_000) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  let labels = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await input.fill('>');
    await input.fill(query);
    await page.waitForTimeout(600);
    labels = await page.locator('.quick-input-list .monaco-list-row').allTextContents();
    if (done(labels)) break;
  }
  return labels;
}

async function runCommandFromPalette(page, title) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  const labels = await paletteLabels(page, `>${title}`, (found) => found.some((l) => l.includes(title)));
  if (!labels.some((l) => l.includes(title))) throw new Error(`the palette does not list ${title}: ${labels.join(' | ')}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
}

/** Webview content is three frames deep; scan every frame for a selector. */
async function findInFrames(page, selector, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        const handle = await frame.$(selector);
        if (handle) return { frame, text: (await handle.textContent()) ?? '' };
      } catch { /* frame navigated away */ }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no frame shows ${selector} after ${timeoutMs} ms`);
}

// ── phases ───────────────────────────────────────────────────────────────────────────────────

async function phaseMocha(browser, server, folder, entry = 'index.js') {
  const remote = (path) => `vscode-remote://${new URL(server.base).host}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(join(ROOT, 'out', 'test', 'host', entry))],
  ];
  const { page, exited } = await openWorkbench(browser, workbenchUrl(server.base, folder, payload));
  let timer;
  const timeout = new Promise((r) => { timer = setTimeout(() => r('timeout'), 20 * 60_000); });
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer); // a pending 20-minute timer would keep this process alive after the tier is done
  await page.screenshot({ path: join(ARTIFACTS, 'mocha-end.png') }).catch(() => {});
  await page.close();
  if (code === 'timeout') throw new Error('the host tests did not finish within 20 minutes');
  if (code !== 0) throw new Error(`the host tests failed (exit code ${code})`);
  return `mocha ${mochaSummary}`;
}

async function openFile(page, name) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.editor-group-container .tab', { hasText: name }).first().waitFor({ timeout: 15_000 });
}

/** Accepts quick-pick entries in order, typing each label to filter first. */
async function answerPicks(page, labels) {
  for (const label of labels) {
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(label);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
  }
}

async function waitUntil(check, message, timeoutMs = 60_000, page = undefined) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (page) await page.screenshot({ path: join(ARTIFACTS, 'failure.png') }).catch(() => {});
  throw new Error(message);
}

async function phaseUi(browser, server, folder) {
  const payload = [['extensionDevelopmentPath', `vscode-remote://${new URL(server.base).host}${ROOT}`]];
  const { page } = await openWorkbench(browser, workbenchUrl(server.base, folder, payload));
  const said = [];

  // 1. The palette opens the panel; its webview renders.
  await runCommandFromPalette(page, 'Parascope: Show Utilization Panel');
  const { text } = await findInFrames(page, '[data-cores]');
  if (!/\d+ cores/.test(text)) throw new Error(`the panel shows unexpected content: ${text}`);
  said.push(`palette opened the panel ("${text.trim()}")`);

  // 2. A real example run from the palette, answering the pool pickers as a user would.
  await openFile(page, 'cpu_pool.py');
  await runCommandFromPalette(page, 'Parascope: Run Script with Pool…');
  await answerPicks(page, ['Processes', '2 workers', 'Default']);
  const lanes = await waitUntil(async () => {
    for (const frame of page.frames()) {
      try {
        const finished = await frame.$('#app[data-state="finished"]');
        const figure = await frame.$('figure.lanes[data-lanes]');
        if (finished && figure) return Number(await figure.getAttribute('data-lanes'));
      } catch { /* navigating */ }
    }
    return 0;
  }, 'the panel never showed the finished run with worker lanes', 120_000, page);
  if (lanes < 2) throw new Error(`the finished run shows ${lanes} worker lane(s); 2 processes were asked for`);
  await page.screenshot({ path: join(ARTIFACTS, 'panel-after-run.png') });
  said.push(`a run of cpu_pool.py under 2 processes from the palette shows ${lanes} worker lanes`);

  // 3. Stop Run from the palette ends the whole tree.
  const forever = join(folder, 'forever_pool.py');
  await openFile(page, 'forever_pool.py');
  await runCommandFromPalette(page, 'Parascope: Run Script with Pool…');
  await answerPicks(page, ['As written']);
  await waitUntil(() => processesMentioning(forever).length >= 3, 'forever_pool.py never started its pool', 60_000);
  const before = processesMentioning(forever).length;
  await runCommandFromPalette(page, 'Parascope: Stop Run');
  await waitUntil(() => processesMentioning(forever).length === 0, `Stop Run left ${processesMentioning(forever).join(', ')} running`, 10_000);
  said.push(`Stop Run ended all ${before} processes of a pool that never finishes`);
  await page.close();
  return said.join('; ');
}

async function phaseVsix(browser, folder) {
  const vsix = join(ROOT, 'parascope.vsix');
  log('packaging the .vsix…');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const extensionsDir = mkdtempSync(join(tmpdir(), 'parascope-vsix-ext-'));
  execFileSync(process.execPath, [ENTRY, '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: ['ignore', 'inherit', 'inherit'] });
  const server = await startServer({ extensionsDir });
  try {
    const { page } = await openWorkbench(browser, workbenchUrl(server.base, folder));
    // With a Python file open every command belongs in the palette (Check is Python-only).
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'hello.py' }).click();
    await page.locator('.editor-group-container .tab', { hasText: 'hello.py' }).waitFor({ timeout: 15_000 });
    const labels = (await paletteLabels(page, '>Parascope: ', (found) => found.filter((l) => l.includes('Parascope:')).length >= 6))
      .filter((l) => l.includes('Parascope:'));
    await page.screenshot({ path: join(ARTIFACTS, 'vsix-palette.png') });
    await page.close();
    if (labels.length !== 6) throw new Error(`expected the 6 Parascope commands in the palette after installing the .vsix, found ${labels.length}: ${labels.join(' | ')}`);
    return `.vsix installed with --install-extension; ${labels.length} Parascope commands in the palette`;
  } finally {
    server.stop();
    rmSync(extensionsDir, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  mkdirSync(ARTIFACTS, { recursive: true });
  ensureCodeServer();
  const folder = workspaceCopy();
  const browser = await chromium.launch(launchOptions());
  const results = [];
  const extensionsDir = mkdtempSync(join(tmpdir(), 'parascope-ext-'));
  const server = await startServer({ extensionsDir });
  log(`code-server ${CODE_SERVER_VERSION} (VS Code 1.100.3) at ${server.base}`);
  try {
    if (phases.includes('mocha')) results.push(await phaseMocha(browser, server, folder));
    if (phases.includes('ui')) results.push(await phaseUi(browser, server, folder));
  } finally {
    server.stop();
    rmSync(extensionsDir, { recursive: true, force: true });
  }
  if (phases.includes('untrusted')) {
    // Workspace Trust on, and the folder never trusted: Run and Sweep must refuse.
    const untrustedExtensions = mkdtempSync(join(tmpdir(), 'parascope-untrusted-ext-'));
    const untrusted = await startServer({ extensionsDir: untrustedExtensions, trust: true });
    try {
      results.push(`untrusted workspace: ${await phaseMocha(browser, untrusted, folder, 'untrusted.js')}`);
    } finally {
      untrusted.stop();
      rmSync(untrustedExtensions, { recursive: true, force: true });
    }
  }
  try {
    if (phases.includes('vsix')) results.push(await phaseVsix(browser, folder));
  } finally {
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  }
  console.log(`host tier: VS Code 1.100.3 via code-server ${CODE_SERVER_VERSION}: ${results.join('; ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error) => {
  console.error(`host tier failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
