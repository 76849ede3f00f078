/**
 * What to run: a named profile (`parascope.profiles`, like launch.json), the file the command was
 * invoked on, or the active Python editor. Unsaved changes are saved first: the harness runs the
 * file on disk.
 */
import * as vscode from 'vscode';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { RunProfile } from '../settings';
import { setting } from '../settings';
import type { PoolChoice } from './poolPicker';
import type { RunTarget } from './controller';

/** Arguments a keybinding, a CodeLens or a test may pass to the run and sweep commands. */
export interface RunCommandArgs {
  script?: string;
  args?: string[];
  cwd?: string;
  profile?: string;
  pool?: Partial<PoolChoice>;
}

export interface ResolvedTarget {
  target: RunTarget;
  resource: vscode.Uri;
  /** The profile's pool, when the run came from a profile that sets one. */
  pool?: Partial<PoolChoice>;
}

function expand(value: string, folder: vscode.WorkspaceFolder | undefined): string {
  return value.replace(/\$\{workspaceFolder\}/g, folder?.uri.fsPath ?? '');
}

function fromProfile(profile: RunProfile): ResolvedTarget {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const raw = expand(profile.script, folder);
  const script = isAbsolute(raw) ? raw : join(folder?.uri.fsPath ?? process.cwd(), raw);
  const pool = profile.pool && {
    kind: profile.pool.kind,
    workers: profile.pool.workers && profile.pool.workers > 0 ? profile.pool.workers : null,
    startMethod: profile.pool.startMethod && profile.pool.startMethod !== 'default' ? profile.pool.startMethod : null,
    chunksize: profile.pool.chunksize && profile.pool.chunksize > 0 ? profile.pool.chunksize : null,
  };
  return {
    target: {
      script, args: profile.args ?? [], env: profile.env,
      cwd: profile.cwd ? expand(profile.cwd, folder) : folder?.uri.fsPath ?? dirname(script),
      label: `profile '${profile.name}' (${basename(script)})`,
    },
    resource: vscode.Uri.file(script),
    pool,
  };
}

async function fromFile(uri: vscode.Uri, args: RunCommandArgs): Promise<ResolvedTarget | string> {
  if (uri.scheme !== 'file') return `Parascope runs scripts saved on disk; ${uri.toString(true)} is not a local file.`;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty && !(await open.save())) return `Save ${basename(uri.fsPath)} first: Parascope runs the file on disk.`;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return {
    target: { script: uri.fsPath, args: args.args ?? [], cwd: args.cwd ?? folder?.uri.fsPath ?? dirname(uri.fsPath), label: basename(uri.fsPath) },
    resource: uri,
  };
}

/** Resolves what to run, asking when there is a choice. A string is a message for the user. */
export async function resolveTarget(uri: vscode.Uri | undefined, args: RunCommandArgs, verb: string): Promise<ResolvedTarget | string | undefined> {
  const profiles = setting('profiles');
  if (args.profile) {
    const profile = profiles.find((p) => p.name === args.profile);
    return profile ? fromProfile(profile) : `No run profile named '${args.profile}' in parascope.profiles.`;
  }
  if (args.script) return fromFile(vscode.Uri.file(args.script), args);
  if (uri) return fromFile(uri, args);
  const editor = vscode.window.activeTextEditor;
  const current = editor?.document.languageId === 'python' ? editor.document : undefined;
  if (current?.isUntitled) return `Save this file first: Parascope ${verb}s a script saved on disk.`;
  if (profiles.length === 0) {
    return current ? fromFile(current.uri, args) : `Open a Python file to ${verb} it, or add a run profile in the parascope.profiles setting.`;
  }
  type Item = vscode.QuickPickItem & { profile?: RunProfile };
  const items: Item[] = [
    ...(current ? [{ label: `$(file) ${basename(current.uri.fsPath)}`, description: 'the current file' }] : []),
    ...profiles.map((profile) => ({ label: `$(symbol-event) ${profile.name}`, description: profile.script, profile })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Parascope: what should I ${verb}?` });
  if (!picked) return undefined;
  return picked.profile ? fromProfile(picked.profile) : fromFile(current!.uri, args);
}
