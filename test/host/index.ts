/**
 * Entry point loaded by VS Code's extension host (`extensionTestsPath`): runs every
 * `suite/*.test.js` with mocha inside the real host, where `require('vscode')` is the real API.
 * Fails when a test fails, when nothing ran, or when a test was skipped.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  return runSuites(join(__dirname, 'suite'));
}

/** Runs every `*.test.js` in `suites` (also used by `untrusted.ts` for the untrusted workspace). */
export function runSuites(suites: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec', forbidOnly: true, forbidPending: true });
  const only = process.env.PARASCOPE_HOST_GREP;
  if (only) mocha.grep(only);
  for (const name of readdirSync(suites).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(join(suites, name));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(`host mocha: ${passes} passing, ${failures} failing, ${pending} pending in VS Code ${vscode.version}`);
      if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
      else if (passes === 0) reject(new Error('no host tests ran'));
      else if (pending > 0) reject(new Error(`${pending} host test(s) were skipped`));
      else resolve();
    });
  });
}
