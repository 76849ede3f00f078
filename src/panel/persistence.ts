/**
 * The last report and sweep, kept in the extension's workspace storage so that a panel restored
 * after a window reload shows them. Files, not Memento: reports can be megabytes.
 */
import * as vscode from 'vscode';
import type { Report, SweepReport } from '../core/report/model';

type Kinds = { report: Report; sweep: SweepReport };
const SCHEMAS: { [K in keyof Kinds]: Kinds[K]['schema'] } = { report: 'parascope.report/1', sweep: 'parascope.sweep/1' };

function location(context: vscode.ExtensionContext, kind: keyof Kinds): vscode.Uri | undefined {
  const base = context.storageUri ?? context.globalStorageUri;
  return base && vscode.Uri.joinPath(base, `last-${kind}.json`);
}

export async function persist<K extends keyof Kinds>(context: vscode.ExtensionContext, kind: K, value: Kinds[K]): Promise<void> {
  const uri = location(context, kind);
  if (!uri) return;
  try {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(value)));
  } catch {
    // Storage is a convenience: a failure only means the panel starts empty after a reload.
  }
}

export async function loadPersisted<K extends keyof Kinds>(context: vscode.ExtensionContext, kind: K): Promise<Kinds[K] | undefined> {
  const uri = location(context, kind);
  if (!uri) return undefined;
  try {
    const value = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')) as Kinds[K];
    return value?.schema === SCHEMAS[kind] ? value : undefined;
  } catch {
    return undefined;
  }
}
