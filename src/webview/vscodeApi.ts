/**
 * The webview's link to the host. `acquireVsCodeApi` exists inside VS Code; the self-contained
 * HTML report and the browser tests provide a stand-in with the same shape. Without either (a
 * page opened some other way) the panel still renders, and its commands go nowhere.
 */
import type { FromWebviewMessage } from '../protocol';

export type TabId = 'run' | 'sweep';

export interface ViewState {
  /** The tab the user had open, restored with the panel. */
  tab?: TabId;
}

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

let api: VsCodeApi | undefined;
let memory: ViewState | undefined;

export function host(): VsCodeApi {
  api ??= typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: () => undefined, getState: () => memory, setState: (state) => { memory = state; } };
  return api;
}

export function post(message: FromWebviewMessage): void {
  host().postMessage(message);
}

/** The saved view state, validated (it may come from an older version of the panel). */
export function savedState(): ViewState {
  const state = host().getState();
  const tab = state && (state.tab === 'run' || state.tab === 'sweep') ? state.tab : undefined;
  return tab ? { tab } : {};
}

export function saveState(state: ViewState): void {
  host().setState({ ...savedState(), ...state });
}
