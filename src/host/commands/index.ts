import type * as vscode from 'vscode';
import type { Services } from '../services';
import { registerShowPanel } from './showPanel';
import { registerCheck } from './check';
import { registerRun } from './run';
import { registerStop } from './stop';
import { registerExport } from './export';
import { registerSweep } from './sweep';

/** Registers every contributed command; one file per command. */
export function registerCommands(services: Services): vscode.Disposable[] {
  return [
    registerShowPanel(services),
    registerRun(services),
    registerSweep(services),
    registerStop(services),
    registerExport(services),
    registerCheck(services),
  ];
}
