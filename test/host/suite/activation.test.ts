import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ParascopeApi } from '../../../src/host/api';
import { EXTENSION_ID, waitFor } from './util';

describe('extension in a real VS Code host', () => {
  let api: ParascopeApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<ParascopeApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in the test host`);
    api = await extension.activate();
  });

  it('activates and returns its API', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.equal(extension?.isActive, true);
    assert.equal(typeof api.panelState, 'function');
  });

  it('registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (extension?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.equal(contributed.length, 6);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is not registered`);
  });

  it('opens the utilization panel, whose webview loads and asks for the state', async () => {
    let ready = false;
    const listener = api.onDidReceiveWebviewMessage((message) => {
      if (message.type === 'ready') ready = true;
    });
    try {
      await vscode.commands.executeCommand('parascope.showPanel');
      await waitFor(() => ready, 'the webview never sent ready');
      assert.equal(api.panelVisible(), true);
      assert.equal(api.panelState().machine.cpuCount > 0, true);
    } finally {
      listener.dispose();
    }
  });
});
