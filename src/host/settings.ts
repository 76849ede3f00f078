/** Reads the `parascope.*` settings (typed in src/core/settings.ts) through the editor's API. */
import * as vscode from 'vscode';
import type { Settings } from '../core/settings';

export type { RunProfile, Settings } from '../core/settings';

/** Reads one setting for a resource (or the window). Defaults come from package.json. */
export function setting<K extends keyof Settings>(key: K, scope?: vscode.ConfigurationScope): Settings[K] {
  return vscode.workspace.getConfiguration('parascope', scope).get(key) as Settings[K];
}

/** True when a configuration change touches a given setting. */
export function affects(event: vscode.ConfigurationChangeEvent, key: keyof Settings): boolean {
  return event.affectsConfiguration(`parascope.${key}`);
}
