/**
 * What `activate()` returns: a small, read-only view for other extensions and for the tests that
 * run inside a real VS Code host. It exposes state the user can already see; it changes nothing.
 */
import type * as vscode from 'vscode';
import type { PanelState, FromWebviewMessage } from '../protocol';
import type { Report, SweepReport } from '../core/report/model';
import type { Services } from './services';

export interface ParascopeApi {
  /** The panel's state as the host holds it (what a (re)opened panel receives). */
  panelState(): PanelState;
  /** True while the panel is open and visible. */
  panelVisible(): boolean;
  /** Validated messages from the webview (`ready` when it has loaded). */
  onDidReceiveWebviewMessage: vscode.Event<FromWebviewMessage>;
  /** Each finished run's report (also cancelled and failed runs). */
  onDidFinishRun: vscode.Event<Report>;
  /** Each finished sweep. */
  onDidFinishSweep: vscode.Event<SweepReport>;
  /** The workload's main pid while a run is live. */
  livePid(): number | undefined;
}

export function createApi(services: Services): ParascopeApi {
  return {
    panelState: () => services.panel.store.snapshot(),
    panelVisible: () => services.panel.visible,
    onDidReceiveWebviewMessage: services.panel.onDidReceiveMessage,
    onDidFinishRun: services.runs.onDidFinishRun,
    onDidFinishSweep: services.sweeps.onDidFinishSweep,
    livePid: () => services.runs.livePid,
  };
}
