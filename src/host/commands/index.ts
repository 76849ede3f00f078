import type * as vscode from 'vscode';
import type { Services } from '../services';
import { registerShowPanel } from './showPanel';
import { registerPending } from './pending';

/** Registers every contributed command; one file per command. */
export function registerCommands(services: Services): vscode.Disposable[] {
  return [registerShowPanel(services), ...registerPending(services)];
}
