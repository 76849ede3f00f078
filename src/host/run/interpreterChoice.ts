/**
 * Which Python runs the user's script: the interpreter selected in the Python extension, else
 * the `parascope.python.interpreterPath` setting, else `python3`. Says where the choice came
 * from, so the run can tell the user which one it used.
 */
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import { setting } from '../settings';

export interface InterpreterChoice {
  /** null = `python3` from the PATH. */
  path: string | null;
  source: 'the Python extension' | 'the parascope.python.interpreterPath setting' | 'the PATH (python3)';
}

/** The Python extension's selection for `resource`, or undefined when it is absent or has none. */
async function fromPythonExtension(resource: vscode.Uri | undefined): Promise<string | undefined> {
  if (!vscode.extensions.getExtension('ms-python.python')) return undefined;
  try {
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    return undefined; // the extension failed to start: fall back, never block the run
  }
}

export async function chooseInterpreter(resource: vscode.Uri | undefined): Promise<InterpreterChoice> {
  const selected = await fromPythonExtension(resource);
  if (selected) return { path: selected, source: 'the Python extension' };
  const configured = setting('python.interpreterPath', resource).trim();
  if (configured) return { path: configured, source: 'the parascope.python.interpreterPath setting' };
  return { path: null, source: 'the PATH (python3)' };
}
