/**
 * The self-contained HTML report: the panel's own webview bundle (`media/webview.js` and
 * `media/webview.css`) inlined, the report JSON embedded as a data block, and a tiny stand-in
 * for `acquireVsCodeApi` that answers the webview's `ready` with the same `init` message the
 * extension host sends. It opens offline from a file: no remote resources, and a strict CSP
 * (`default-src 'none'`) that allows exactly the inline script and style by their SHA-256.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserFacingError } from '../errors';
import { PROTOCOL_VERSION } from '../../protocol';
import { findUp } from '../run/paths';
import type { Report, SweepReport } from './model';

export interface WebviewAssets {
  script: string;
  style: string;
}

/** Reads the built webview bundle (`media/webview.js`, `media/webview.css`). */
export function loadWebviewAssets(mediaDir?: string): WebviewAssets {
  const dir = mediaDir ?? join(findUp(join('media', 'webview.js')) ?? '.', 'media');
  const script = join(dir, 'webview.js');
  const style = join(dir, 'webview.css');
  if (!existsSync(script)) {
    throw new UserFacingError(`The panel bundle ${script} is missing, so no HTML report can be written.`, 'Run `npm run build` first.');
  }
  return { script: readFileSync(script, 'utf8'), style: existsSync(style) ? readFileSync(style, 'utf8') : '' };
}

export interface HtmlOptions {
  /** The machine the report was made on (the panel's `machine`); default: from the report. */
  machine?: { cpuCount: number; platform: string };
  title?: string;
}

/** JSON that is safe inside `<script>`: no `</script>`, `<!--` or line separators can end or confuse it. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The stand-in for VS Code's API: answers `ready` with `init` (the report or the sweep, no live
 * run); other commands (open a file, export, stop) have nothing to act on in a static page.
 */
export const STAND_IN = `(function () {
  var data = JSON.parse(document.getElementById('parascope-data').textContent);
  var saved;
  if (window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches) {
    document.body.classList.remove('vscode-light');
    document.body.classList.add('vscode-dark');
  }
  window.acquireVsCodeApi = function () {
    return {
      postMessage: function (message) {
        if (message && message.type === 'ready') {
          setTimeout(function () {
            window.postMessage({ type: 'init', state: {
              protocolVersion: data.protocolVersion, live: null, report: data.report || null, sweep: data.sweep || null,
              sweepProgress: null, machine: data.machine, standalone: true } }, '*');
          }, 0);
        }
      },
      getState: function () { return saved; },
      setState: function (state) { saved = state; }
    };
  };
})();`;

/** VS Code's Light+ and Dark+ colours for the `--vscode-*` variables the panel's stylesheet uses. */
export const THEME_CSS = `:root, body.vscode-light {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, Menlo, Consolas, monospace;
  --vscode-foreground: #3b3b3b; --vscode-editor-background: #ffffff; --vscode-descriptionForeground: #717171;
  --vscode-charts-foreground: #616161; --vscode-charts-lines: #61616180; --vscode-charts-red: #e51400;
  --vscode-charts-blue: #1a85ff; --vscode-charts-yellow: #bf8803; --vscode-charts-orange: #d18616;
  --vscode-charts-green: #388a34; --vscode-charts-purple: #652d90; --vscode-panel-border: #80808059;
  --vscode-panelTitle-activeBorder: #424242; --vscode-focusBorder: #0090f1; --vscode-textLink-foreground: #006ab1;
  --vscode-widget-border: #d4d4d4; --vscode-widget-shadow: #00000029; --vscode-contrastBorder: transparent;
  --vscode-button-background: #007acc; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0062a3;
  --vscode-button-border: transparent; --vscode-button-secondaryBackground: #e5e5e5;
  --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-badge-background: #c4c4c4; --vscode-badge-foreground: #333333; --vscode-errorForeground: #a1260d;
  --vscode-editorWarning-foreground: #bf8803; --vscode-editorWidget-background: #f3f3f3;
  --vscode-list-hoverBackground: #f0f0f0; --vscode-editorHoverWidget-background: #f3f3f3;
  --vscode-editorHoverWidget-foreground: #3b3b3b; --vscode-editorHoverWidget-border: #c8c8c8;
}
body.vscode-dark {
  --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; --vscode-descriptionForeground: #9d9d9d;
  --vscode-charts-foreground: #cccccc; --vscode-charts-lines: #cccccc80; --vscode-charts-red: #f14c4c;
  --vscode-charts-blue: #3794ff; --vscode-charts-yellow: #cca700; --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7; --vscode-panel-border: #80808059;
  --vscode-panelTitle-activeBorder: #e7e7e7; --vscode-focusBorder: #007fd4; --vscode-textLink-foreground: #3794ff;
  --vscode-widget-border: #303031; --vscode-widget-shadow: #0000005c; --vscode-button-background: #0e639c;
  --vscode-button-hoverBackground: #1177bb; --vscode-button-secondaryBackground: #3a3d41;
  --vscode-button-secondaryForeground: #ffffff; --vscode-button-secondaryHoverBackground: #45494e;
  --vscode-badge-background: #4d4d4d; --vscode-badge-foreground: #ffffff; --vscode-errorForeground: #f48771;
  --vscode-editorWarning-foreground: #cca700; --vscode-editorWidget-background: #252526;
  --vscode-list-hoverBackground: #2a2d2e; --vscode-editorHoverWidget-background: #252526;
  --vscode-editorHoverWidget-foreground: #cccccc; --vscode-editorHoverWidget-border: #454545;
}
body { background: var(--vscode-editor-background); color: var(--vscode-foreground);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); margin: 0; padding: 0 16px; }
`;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline script text must not contain `</script` (it would end the element early). */
function safeScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

export function reportToHtml(report: Report, assets: WebviewAssets, options: HtmlOptions = {}): string {
  const machine = options.machine ?? { cpuCount: report.cpuCount, platform: process.platform };
  const title = options.title ?? `Parascope — ${report.script.split(/[\\/]/).pop() ?? report.script}`;
  return standaloneHtml({ protocolVersion: PROTOCOL_VERSION, report, machine }, assets, title);
}

/** A sweep as a self-contained page: the panel's Sweep view, offline. */
export function sweepToHtml(sweep: SweepReport, assets: WebviewAssets, options: HtmlOptions = {}): string {
  const machine = options.machine ?? { cpuCount: sweep.usableCpus, platform: 'linux' };
  const title = options.title ?? `Parascope sweep — ${sweep.script.split(/[\\/]/).pop() ?? sweep.script}`;
  return standaloneHtml({ protocolVersion: PROTOCOL_VERSION, sweep, machine }, assets, title);
}

function standaloneHtml(payload: { protocolVersion: number; report?: Report; sweep?: SweepReport; machine: { cpuCount: number; platform: string } }, assets: WebviewAssets, title: string): string {
  const data = embedJson(payload);
  const script = safeScript(assets.script);
  const style = `${THEME_CSS}\n${assets.style}`.replace(/<\/(style)/gi, '<\\/$1');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(STAND_IN)} ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    'img-src data:',
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="Parascope">
<title>${escapeText(title)}</title>
<style>${style}</style>
</head>
<body class="vscode-light parascope-report">
<main id="app" aria-live="polite"><p class="loading">Loading Parascope report…</p></main>
<script type="application/json" id="parascope-data">${data}</script>
<script>${STAND_IN}</script>
<script>${script}</script>
</body>
</html>
`;
}
