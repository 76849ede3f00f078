import * as vscode from 'vscode';
import { basename, dirname, extname, join } from 'node:path';
import { CommandId } from '../commandIds';
import type { Services } from '../services';
import type { ExportFormat, ExportTarget } from '../../protocol';
import { reportToJson } from '../../core/report/json';
import { loadWebviewAssets, reportToHtml, sweepToHtml } from '../../core/report/html';
import { reportToTrace, traceToJson } from '../../core/report/trace';
import { describeError } from '../../core/errors';

const FORMATS: { format: ExportFormat; label: string; detail: string; extension: string; filter: string }[] = [
  { format: 'json', label: 'JSON report', detail: 'The parascope.report/1 (or parascope.sweep/1) document.', extension: 'json', filter: 'JSON' },
  { format: 'html', label: 'HTML report', detail: 'A self-contained page that opens offline in any browser.', extension: 'html', filter: 'HTML' },
  { format: 'trace', label: 'Chrome trace', detail: 'Worker lanes and per-core counters for Perfetto or chrome://tracing.', extension: 'trace.json', filter: 'Chrome trace' },
];

/**
 * `Parascope: Export Report…` — saves the report the panel shows (or the sweep) as JSON, a
 * self-contained HTML page, or a Chrome trace. Called from the palette (asks) or from the
 * panel's buttons (format and target given).
 */
export function registerExport(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.export, async (format?: ExportFormat, target?: ExportTarget, destination?: vscode.Uri) => {
    const report = services.panel.store.lastReport;
    const sweep = services.panel.store.lastSweep;
    const what: ExportTarget | undefined = target ?? (report ? 'run' : sweep ? 'sweep' : undefined);
    if (!what || (what === 'run' && !report) || (what === 'sweep' && !sweep)) {
      void vscode.window.showInformationMessage(`Parascope: there is no ${what === 'sweep' ? 'sweep' : 'run'} to export yet. Run a script first.`);
      return undefined;
    }
    const choices = FORMATS.filter((f) => what === 'run' || f.format !== 'trace');
    const chosen = format ? choices.find((f) => f.format === format) : await vscode.window.showQuickPick(choices, { title: 'Parascope: export as' });
    if (!chosen) return undefined;
    const script = what === 'run' ? report!.script : sweep!.script;
    const suggested = join(dirname(script), `${basename(script, extname(script))}-${what === 'run' ? 'parascope' : 'sweep'}.${chosen.extension}`);
    const uri = destination ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(suggested), filters: { [chosen.filter]: [chosen.extension.split('.').pop()!] } }));
    if (!uri) return undefined;
    try {
      const text =
        chosen.format === 'json' ? (what === 'run' ? reportToJson(report!) : `${JSON.stringify(sweep, null, 2)}\n`)
        : chosen.format === 'html' ? (what === 'run' ? reportToHtml(report!, loadWebviewAssets(mediaDir(services))) : sweepToHtml(sweep!, loadWebviewAssets(mediaDir(services))))
        : traceToJson(reportToTrace(report!));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    } catch (error) {
      void vscode.window.showErrorMessage(`Parascope: could not export to ${uri.fsPath}: ${describeError(error)}`);
      return undefined;
    }
    if (!destination) {
      void vscode.window.showInformationMessage(`Parascope: exported ${chosen.label.toLowerCase()} to ${uri.fsPath}.`, 'Reveal').then((action) => {
        if (action) void vscode.commands.executeCommand('revealFileInOS', uri);
      });
    }
    return uri;
  });
}

function mediaDir(services: Services): string {
  return vscode.Uri.joinPath(services.context.extensionUri, 'media').fsPath;
}
