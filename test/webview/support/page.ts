/**
 * Loads the built webview bundle in headless chromium inside the real panel shell (same CSP,
 * nonce and stylesheet as in VS Code), with a stand-in for `acquireVsCodeApi` that records what
 * the webview posts. Tests send host messages with `send()` — encoded as the host posts them
 * (protocolCodec.ts), or as they are with `{ plain: true }` — and read the DOM.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { nonce, panelHtml } from '../../../src/panel/html';
import { PROTOCOL_VERSION, type FromWebviewMessage, type PanelState, type ToWebviewMessage } from '../../../src/protocol';
import { encodeMessage } from '../../../src/protocolCodec';
// Shared with the plain-node tier runner (test/support is not compiled); loaded from the repo root.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchOptions } = require(resolve('test/support/chromium.mjs')) as { launchOptions(): Parameters<typeof chromium.launch>[0] };

export const ARTIFACTS = resolve('.test-artifacts', 'webview');

/** The page's globals as the tests use them (the test build has no DOM typings). */
export interface PageGlobals {
  __posted: FromWebviewMessage[];
  __state: unknown;
  dispatchEvent(event: unknown): boolean;
  MessageEvent: new (type: string, init: { data: unknown }) => unknown;
  requestAnimationFrame(callback: () => void): number;
  document: {
    body: { className: string };
    documentElement: { style: { setProperty(name: string, value: string): void } };
  };
}

export const EMPTY_STATE: PanelState = {
  protocolVersion: PROTOCOL_VERSION, live: null, report: null, sweep: null, sweepProgress: null,
  machine: { cpuCount: 2, platform: 'linux' },
};
export type Theme = 'vscode-light' | 'vscode-dark' | 'vscode-high-contrast';
/** `plain`: send the message as host code builds it, sample columns as `number[]` (no encoding). */
export interface Delivery { plain?: boolean }

/** VS Code's own variables for each theme kind (a representative subset of what it injects). */
const THEME_VARIABLES: Record<Theme, Record<string, string>> = {
  'vscode-dark': {
    '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1e1e1e', '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    '--vscode-charts-foreground': '#cccccc', '--vscode-charts-lines': '#cccccc80', '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-blue': '#3794ff', '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-panel-border': '#80808059',
    '--vscode-focusBorder': '#007fd4', '--vscode-textLink-foreground': '#3794ff', '--vscode-widget-border': '#303031',
    '--vscode-button-background': '#0e639c', '--vscode-button-foreground': '#ffffff', '--vscode-badge-background': '#4d4d4d',
    '--vscode-badge-foreground': '#ffffff', '--vscode-errorForeground': '#f48771', '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-editorWidget-background': '#252526', '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-contrastBorder': 'transparent',
  },
  'vscode-light': {
    '--vscode-foreground': '#616161', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
    '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    '--vscode-charts-foreground': '#616161', '--vscode-charts-lines': '#61616180', '--vscode-charts-red': '#e51400',
    '--vscode-charts-blue': '#1a85ff', '--vscode-charts-yellow': '#bf8803', '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#388a34', '--vscode-charts-purple': '#652d90', '--vscode-panel-border': '#80808059',
    '--vscode-focusBorder': '#0090f1', '--vscode-textLink-foreground': '#006ab1', '--vscode-widget-border': '#d4d4d4',
    '--vscode-button-background': '#007acc', '--vscode-button-foreground': '#ffffff', '--vscode-badge-background': '#c4c4c4',
    '--vscode-badge-foreground': '#333333', '--vscode-errorForeground': '#a1260d', '--vscode-editorWarning-foreground': '#bf8803',
    '--vscode-editorWidget-background': '#f3f3f3', '--vscode-list-hoverBackground': '#f0f0f0', '--vscode-contrastBorder': 'transparent',
  },
  'vscode-high-contrast': {
    '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-descriptionForeground': '#ffffff',
    '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    '--vscode-charts-foreground': '#ffffff', '--vscode-charts-lines': '#ffffff', '--vscode-charts-red': '#f48771',
    '--vscode-charts-blue': '#3794ff', '--vscode-charts-yellow': '#ffff00', '--vscode-charts-orange': '#f38518',
    '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-panel-border': '#6fc3df',
    '--vscode-focusBorder': '#f38518', '--vscode-textLink-foreground': '#21a6ff', '--vscode-widget-border': '#6fc3df',
    '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-badge-background': '#000000',
    '--vscode-badge-foreground': '#ffffff', '--vscode-errorForeground': '#f48771', '--vscode-editorWarning-foreground': '#ffd370',
    '--vscode-editorWidget-background': '#0c141f', '--vscode-list-hoverBackground': '#000000', '--vscode-contrastBorder': '#6fc3df',
  },
};

/** The stand-in VS Code gives a webview: postMessage/getState/setState, recorded on window. */
function standIn(): string {
  return `
window.__posted = [];
window.__state = window.__state ?? undefined;
window.acquireVsCodeApi = () => ({
  postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
  getState: () => window.__state,
  setState: (s) => { window.__state = s; },
});`;
}

export class WebviewPage {
  private constructor(readonly browser: Browser, readonly page: Page, readonly errors: string[]) {}

  static async open(theme: Theme = 'vscode-dark', viewport = { width: 1200, height: 900 }, state?: unknown): Promise<WebviewPage> {
    return WebviewPage.openUrl(pageUrl(theme), viewport, state);
  }

  /** Any page (the self-contained HTML report), with console errors recorded the same way. */
  static async openUrl(url: string, viewport = { width: 1200, height: 900 }, state?: unknown): Promise<WebviewPage> {
    const browser = await chromium.launch(launchOptions());
    const page = await browser.newPage({ viewport });
    // A saved view state, as VS Code hands back to a restored panel.
    if (state !== undefined) await page.addInitScript((s) => { (globalThis as unknown as PageGlobals).__state = s; }, state);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(url);
    return new WebviewPage(browser, page, errors);
  }

  /** Messages the webview posted to the host so far. */
  posted(): Promise<FromWebviewMessage[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__posted);
  }

  /** Forgets what the webview posted so far. */
  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => { (globalThis as unknown as PageGlobals).__posted.length = 0; });
  }

  /**
   * Delivers a host message the way VS Code does (a `message` event on window), its sample
   * columns encoded as the host encodes them before `postMessage`; `plain` sends it as it is
   * (as the self-contained HTML report does, from JSON).
   */
  async send(message: ToWebviewMessage, options: Delivery = {}): Promise<void> {
    await this.page.evaluate((m) => {
      const g = globalThis as unknown as PageGlobals;
      g.dispatchEvent(new g.MessageEvent('message', { data: m }));
    }, options.plain ? message : encodeMessage(message));
  }

  /** Delivers many host messages in one round trip (a live stream), then waits for a frame. */
  async sendAll(messages: readonly ToWebviewMessage[], options: Delivery = {}): Promise<void> {
    await this.page.evaluate((list) => {
      const g = globalThis as unknown as PageGlobals;
      for (const m of list) g.dispatchEvent(new g.MessageEvent('message', { data: m }));
    }, options.plain ? messages : messages.map((m) => encodeMessage(m)));
    await this.frame();
  }

  /** Sends `init` with `state` (missing fields filled with an empty panel's) and waits for the render. */
  async init(state: Partial<PanelState> = {}, options: Delivery = {}): Promise<void> {
    await this.send({ type: 'init', state: { ...EMPTY_STATE, ...state } }, options);
    await this.frame();
  }

  /** Resolves after the next two animation frames: the panel has rendered what it was sent. */
  async frame(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((resolve) => {
      const g = globalThis as unknown as PageGlobals;
      g.requestAnimationFrame(() => g.requestAnimationFrame(() => resolve()));
    }));
  }

  async setTheme(theme: Theme): Promise<void> {
    await this.page.evaluate(
      ({ theme, variables }) => {
        const { document } = globalThis as unknown as PageGlobals;
        document.body.className = theme;
        for (const [name, value] of Object.entries(variables)) document.documentElement.style.setProperty(name, value);
      },
      { theme, variables: THEME_VARIABLES[theme] },
    );
    await this.frame();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Writes the shell page once per theme and returns its file URL. */
function pageUrl(theme: Theme): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const media = resolve('media');
  const scriptNonce = nonce();
  let html = panelHtml(
    {
      cspSource: 'file:',
      scriptUri: pathToFileURL(join(media, 'webview.js')).href,
      styleUri: pathToFileURL(join(media, 'webview.css')).href,
      title: 'Parascope (test)',
    },
    scriptNonce,
  );
  const style = Object.entries(THEME_VARIABLES[theme]).map(([k, v]) => `${k}: ${v};`).join(' ');
  html = html
    .replace('<html lang="en">', `<html lang="en" style="${style}">`)
    .replace('<body>', `<body class="${theme}">`)
    .replace(`<script nonce="${scriptNonce}" src=`, `<script nonce="${scriptNonce}">${standIn()}</script>\n<script nonce="${scriptNonce}" src=`);
  const file = join(ARTIFACTS, `shell-${theme}.html`);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}
