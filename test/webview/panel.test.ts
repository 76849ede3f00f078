import * as assert from 'node:assert/strict';
import { WebviewPage } from './support/page';
import { PROTOCOL_VERSION, type PanelState } from '../../src/protocol';

const emptyState: PanelState = {
  protocolVersion: PROTOCOL_VERSION, live: null, report: null, sweep: null, sweepProgress: null,
  machine: { cpuCount: 2, platform: 'linux' },
};

describe('webview shell in chromium', () => {
  let view: WebviewPage;
  before(async () => { view = await WebviewPage.open(); });
  after(async () => { await view?.close(); });

  it('loads under the strict CSP and asks the host for its state', async () => {
    await view.page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await view.posted(), [{ type: 'ready' }]);
    assert.deepEqual(view.errors, []);
  });

  it('renders the machine and an empty state before any run', async () => {
    await view.send({ type: 'init', state: emptyState });
    const header = await view.page.textContent('header.machine');
    assert.match(header ?? '', /2 cores · linux/);
    assert.match(await view.page.textContent('main') ?? '', /No run yet/);
    await view.screenshot('empty-dark');
  });
});
