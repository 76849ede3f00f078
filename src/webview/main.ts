/**
 * Webview entry: connect to the host, ask for the state (`ready`), render, then apply each
 * validated message from the host and render again.
 */
import './style.css';
import { isToWebviewMessage } from '../protocol';
import { PanelStore } from '../panelState';
import { host } from './vscodeApi';
import { renderApp } from './views/app';

const root = document.getElementById('app');
if (!root) throw new Error('Parascope: the panel markup has no #app element.');

let store: PanelStore | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isToWebviewMessage(message)) return;
  if (message.type === 'init') store = new PanelStore(message.state.machine);
  if (!store) return; // nothing can be shown before the host's snapshot
  store.apply(message);
  renderApp(root, store.snapshot());
});

host().postMessage({ type: 'ready' });
