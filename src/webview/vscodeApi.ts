/**
 * The webview's link to the host. `acquireVsCodeApi` exists inside VS Code; the self-contained
 * HTML report and the browser tests provide a stand-in with the same shape.
 */
import type { FromWebviewMessage } from '../protocol';

export interface ViewState {
  /** The tab the user had open, restored with the panel. */
  tab?: string;
}

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function host(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
