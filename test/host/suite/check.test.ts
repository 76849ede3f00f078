/**
 * Static checks in a real VS Code: a diagnostic appears for a bad file with the right code and
 * range, its quick fix changes the file exactly as expected, the type-code hover answers, and
 * the rule explanation the code links to opens.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './util';

const FIXED = [
  'import multiprocessing',
  '',
  '',
  'def _map_task(x):',
  '    return x * 2',
  '',
  '',
  'def run(data):',
  '    with multiprocessing.Pool() as pool:',
  '        return pool.map(_map_task, data)',
  '',
  '',
  'shared = multiprocessing.Value("d", 0.0)',
  '',
].join('\n');

function parascope(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Parascope');
}

function code(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

describe('static checks in a real VS Code host', () => {
  let uri: vscode.Uri;
  let document: vscode.TextDocument;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test host has no workspace folder');
    uri = vscode.Uri.joinPath(folder.uri, 'parallel_bad.py');
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    // Leave the file as it was on disk.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports PAR001 on the lambda, linked to the rule explanation', async () => {
    await waitFor(() => parascope(uri).some((d) => code(d) === 'PAR001'), 'no PAR001 diagnostic appeared');
    const [diagnostic] = parascope(uri);
    assert.equal(parascope(uri).length, 1);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.message, 'lambda passed to Pool.map cannot be pickled; define it with def at module level');
    assert.deepEqual(
      [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
      [5, 24, 5, 39],
    );
    assert.equal(document.getText(diagnostic.range), 'lambda x: x * 2');
    const target = typeof diagnostic.code === 'object' ? diagnostic.code.target : undefined;
    assert.equal(target?.toString(), 'parascope-rule:/PAR001.md');
    const explanation = await vscode.workspace.openTextDocument(target as vscode.Uri);
    assert.match(explanation.getText(), /^# PAR001 — Lambda sent to a process pool/);
    assert.match(explanation.getText(), /## Fix/);
  });

  it('shows the C and Python types when hovering a Value type code', async () => {
    const line = document.lineAt(8).text;
    const position = new vscode.Position(8, line.indexOf('"d"') + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /`'d'`\*\* → C `double`, Python `float`/);
  });

  it('applies the quick fix: the lambda becomes a module-level function', async () => {
    const diagnostic = parascope(uri).find((d) => code(d) === 'PAR001') as vscode.Diagnostic;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Lift the lambda to a module-level function `_map_task`');
    assert.ok(fix?.edit, `no lift fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.kind?.value, 'quickfix');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), FIXED);
    await waitFor(() => parascope(uri).length === 0, 'the PAR001 diagnostic did not go away after the fix');
  });

  it('checks on command and says how many findings there are', async () => {
    await vscode.workspace.applyEdit(insertAtEnd(document, 'with multiprocessing.Pool() as p:\n    p.apply_async(lambda: 1)\n'));
    await vscode.commands.executeCommand('parascope.check');
    assert.deepEqual(parascope(uri).map(code), ['PAR001']);
  });
});

function insertAtEnd(document: vscode.TextDocument, text: string): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.lineAt(document.lineCount - 1).range.end, text);
  return edit;
}
