import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ParascopeApi } from '../../../src/host/api';
import type { Report } from '../../../src/core/report/model';
import { EXTENSION_ID, waitFor } from './util';

function workspaceFile(name: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host has no workspace folder');
  return join(folder.uri.fsPath, name);
}

// The repo's test/support (not compiled): from out/test/host/suite, four folders up.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { processesMentioning } = require(join(__dirname, '..', '..', '..', '..', 'test', 'support', 'procfs.cjs')) as { processesMentioning(needle: string): number[] };

describe('running a script from VS Code', () => {
  let api: ParascopeApi;
  before(async () => {
    api = await vscode.extensions.getExtension<ParascopeApi>(EXTENSION_ID)!.activate();
  });

  it('runs an example under 2 processes and shows the report in the panel', async () => {
    const script = workspaceFile('cpu_pool.py');
    const report = (await vscode.commands.executeCommand('parascope.run', { script, pool: { kind: 'process', workers: 2 } })) as Report;
    assert.ok(report, 'the run command returned no report');
    assert.equal(report.exitCode, 0);
    assert.equal(report.pool.kind, 'process');
    const processWorkers = report.workers.filter((w) => w.kind === 'process');
    assert.equal(processWorkers.length, 2, `expected 2 process workers, got ${JSON.stringify(report.workers.map((w) => w.kind))}`);
    assert.equal(report.tasks.length > 0, true);
    assert.equal(api.panelState().report?.id, report.id);
    assert.equal(api.panelVisible(), true);
  });

  it('exports the shown report as JSON', async () => {
    const target = vscode.Uri.file(workspaceFile('exported-report.json'));
    const written = (await vscode.commands.executeCommand('parascope.export', 'json', 'run', target)) as vscode.Uri;
    assert.equal(written.fsPath, target.fsPath);
    const parsed = JSON.parse(readFileSync(target.fsPath, 'utf8'));
    assert.equal(parsed.schema, 'parascope.report/1');
    assert.equal(parsed.id, api.panelState().report?.id);
  });

  it('Stop Run ends the whole process tree', async () => {
    const script = workspaceFile('forever_pool.py');
    const finished = new Promise<Report>((resolve) => {
      const listener = api.onDidFinishRun((report) => {
        listener.dispose();
        resolve(report);
      });
    });
    void vscode.commands.executeCommand('parascope.run', { script, pool: { kind: 'asis' } });
    await waitFor(() => processesMentioning(script).length >= 2, 'the pool workers never started');
    await waitFor(() => api.livePid() !== undefined, 'the run never went live');
    assert.equal(await vscode.commands.executeCommand('parascope.stop'), true);
    const report = await finished;
    assert.equal(report.cancelled, true);
    assert.deepEqual(processesMentioning(script), [], 'processes of the stopped run are still alive');
  });

  it('says so clearly when the script does not exist', async () => {
    const missing = workspaceFile('no such script.py');
    assert.equal(existsSync(missing), false);
    const result = await vscode.commands.executeCommand('parascope.run', { script: missing, pool: { kind: 'asis' } });
    assert.equal(result, undefined);
  });
});
