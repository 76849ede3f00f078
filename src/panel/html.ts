/**
 * The panel's HTML shell: strict CSP (`default-src 'none'`, scripts only by nonce, styles and
 * images only from the extension's media folder) and the built webview bundle.
 */
import { randomBytes } from 'node:crypto';

export interface ShellOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Webview URIs of the bundle and its stylesheet. */
  scriptUri: string;
  styleUri: string;
  title: string;
}

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function panelHtml(options: ShellOptions, scriptNonce = nonce()): string {
  const csp = [
    "default-src 'none'",
    `img-src ${options.cspSource} data:`,
    `style-src ${options.cspSource}`,
    `font-src ${options.cspSource}`,
    `script-src 'nonce-${scriptNonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>${escapeText(options.title)}</title>
</head>
<body>
<main id="app"><p class="loading">Loading Parascope…</p></main>
<script nonce="${scriptNonce}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>`;
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
