import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ParascopeApi } from '../../../src/host/api';
import { EXTENSION_ID, waitFor } from '../suite/util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { processesMentioning } = require(join(__dirname, '..', '..', '..', '..', 'test', 'support', 'procfs.cjs')) as { processesMentioning(needle: string): number[] };

describe('an untrusted workspace', () => {
  let api: ParascopeApi;
  let folder: vscode.WorkspaceFolder;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this phase must run in an untrusted workspace');
    api = await vscode.extensions.getExtension<ParascopeApi>(EXTENSION_ID)!.activate();
    folder = vscode.workspace.workspaceFolders![0];
  });

  it('refuses to run a script, and starts no process', async () => {
    const script = join(folder.uri.fsPath, 'cpu_pool.py');
    const result = await vscode.commands.executeCommand('parascope.run', { script, pool: { kind: 'process', workers: 2 } });
    assert.equal(result, undefined);
    assert.equal(api.livePid(), undefined);
    assert.deepEqual(processesMentioning(script), []);
    assert.equal(api.panelState().report, null);
  });

  it('refuses to sweep', async () => {
    const script = join(folder.uri.fsPath, 'cpu_pool.py');
    assert.equal(await vscode.commands.executeCommand('parascope.sweep', { script, workers: [1], pools: ['thread'], repeat: 1 }), undefined);
    assert.deepEqual(processesMentioning(script), []);
  });

  it('still checks Python files statically', async () => {
    const uri = vscode.Uri.joinPath(folder.uri, 'parallel_bad.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor(
      () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'Parascope' && (typeof d.code === 'object' ? d.code.value : d.code) === 'PAR001'),
      'no PAR001 diagnostic in the untrusted workspace',
    );
  });
});
