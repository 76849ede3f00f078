/**
 * Webview entry: connect to the host, ask for the state (`ready`), then apply each validated
 * message to the same `PanelStore` the host keeps and let the app render what changed.
 * Any error ends up as a message in the panel, never as a blank page.
 */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { isToWebviewMessage, type WireReport } from '../protocol';
import { PanelStore } from '../panelState';
import { post } from './vscodeApi';
import { App } from './views/app';

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
const app = new App(root);
let store: PanelStore<WireReport> | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isToWebviewMessage(message)) return;
  try {
    if (message.type === 'init') store = new PanelStore<WireReport>(message.state.machine ?? { cpuCount: 0, platform: 'unknown' });
    if (!store) return; // nothing can be shown before the host's snapshot
    store.apply(message);
    app.receive(message, store.snapshot());
  } catch (error) {
    app.fail('this update', error);
  }
});

window.addEventListener('error', (event) => {
  if (/ResizeObserver loop/.test(String(event.message))) return; // benign: layout settles next frame
  app.fail('part of the panel', event.error ?? event.message);
});
window.addEventListener('unhandledrejection', (event) => app.fail('part of the panel', event.reason));

post({ type: 'ready' });
