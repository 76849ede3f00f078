#!/usr/bin/env node
// `npm run test:electron`: the same host suites in VS Code desktop through @vscode/test-electron,
// for contributors with internet access (it downloads VS Code into .vscode-test/). CI and
// offline machines use `npm run test:host` (code-server), which runs the very same suites.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = resolve('.');
const workspace = mkdtempSync(join(tmpdir(), 'parascope-electron-workspace-'));
cpSync(join(root, 'test', 'fixtures', 'host-workspace'), workspace, { recursive: true });
try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'host', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  const offline = /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo/.test(String(error));
  console.error(offline
    ? 'test:electron needs to download VS Code 1.100.3 and this machine has no internet access. Run `npm run test:host` instead: the same suites in a real VS Code host through code-server.'
    : `test:electron failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
