/**
 * The utilization panel, host side: one `WebviewPanel` at a time, fed only through the typed
 * protocol. State lives in `PanelStore`; a (re)loaded webview sends `ready` and receives the
 * whole snapshot, so hiding, closing, or reloading the window loses nothing. The last report and
 * sweep are also written to the extension's storage so a restored panel shows them after a
 * window reload.
 */
import * as vscode from 'vscode';
import * as os from 'node:os';
import { PANEL_VIEW_TYPE } from '../host/commandIds';
import { parseFromWebview, type ExportFormat, type ExportTarget, type FromWebviewMessage, type ToWebviewMessage } from '../protocol';
import { panelHtml } from './html';
import { PanelStore } from '../panelState';
import { encodeMessage } from '../protocolCodec';
import { loadPersisted, persist } from './persistence';

/** What the panel asks the rest of the extension to do (the webview's commands). */
export interface PanelActions {
  stopRun(): void;
  exportReport(format: ExportFormat, target: ExportTarget): void;
  rerunSweep(): void;
}

export class UtilizationPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];
  readonly store = new PanelStore({ cpuCount: os.cpus().length, platform: process.platform });
  private restored = false;
  private readonly didReceive = new vscode.EventEmitter<FromWebviewMessage>();
  /** Every validated message from the webview (tests listen to `ready`). */
  readonly onDidReceiveMessage = this.didReceive.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly actions: PanelActions,
  ) {}

  /** Serializer hook: VS Code restores a panel after a window reload. */
  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel) => {
        await this.restorePersisted();
        this.adopt(panel);
      },
    };
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Opens the panel, or reveals it. */
  async show(preserveFocus = false): Promise<void> {
    await this.restorePersisted();
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Parascope',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      this.webviewOptions(),
    );
    this.adopt(panel);
  }

  /**
   * Applies a message to the host's state and forwards it to the webview if one is open, its
   * sample columns encoded (protocolCodec.ts).
   */
  post(message: ToWebviewMessage): void {
    this.store.apply(message);
    if (message.type === 'runFinished') void persist(this.context, 'report', message.report);
    if (message.type === 'sweepFinished') void persist(this.context, 'sweep', message.sweep);
    if (this.panel?.visible) void this.panel.webview.postMessage(encodeMessage(message));
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.svg');
    panel.webview.options = this.webviewOptions();
    const media = (name: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', name)).toString();
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: media('webview.js'),
      styleUri: media('webview.css'),
      title: 'Parascope',
    });
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidDispose(() => this.forget()),
    );
  }

  private receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) return; // malformed or unknown: ignored, never acted on
    switch (message.type) {
      case 'ready':
        void this.panel?.webview.postMessage(encodeMessage({ type: 'init', state: this.store.snapshot() }));
        break;
      case 'openLocation':
        void openLocation(message.file, message.line);
        break;
      case 'stopRun':
        this.actions.stopRun();
        break;
      case 'exportReport':
        this.actions.exportReport(message.format, message.target ?? 'run');
        break;
      case 'rerunSweep':
        this.actions.rerunSweep();
        break;
    }
    this.didReceive.fire(message);
  }

  private async restorePersisted(): Promise<void> {
    if (this.restored) return;
    this.restored = true;
    const [report, sweep] = await Promise.all([loadPersisted(this.context, 'report'), loadPersisted(this.context, 'sweep')]);
    if (report && !this.store.lastReport) this.store.apply({ type: 'runFinished', runId: report.id, report });
    if (sweep && !this.store.lastSweep) this.store.apply({ type: 'sweepFinished', sweep });
  }

  private forget(): void {
    this.panel = undefined;
    vscode.Disposable.from(...this.panelDisposables.splice(0)).dispose();
  }

  dispose(): void {
    this.panel?.dispose();
    this.forget();
    this.didReceive.dispose();
  }
}

/** Opens a file at a 1-based line, beside nothing: in the first editor group. */
async function openLocation(file: string, line: number): Promise<void> {
  try {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const position = new vscode.Position(Math.max(0, Math.min(line - 1, document.lineCount - 1)), 0);
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
    });
  } catch {
    void vscode.window.showWarningMessage(`Parascope: cannot open ${file} (it may have moved or been deleted).`);
  }
}
