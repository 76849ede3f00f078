import * as assert from 'node:assert/strict';
import { WebviewPage } from './support/page';

describe('webview shell in chromium', () => {
  let view: WebviewPage;
  before(async () => { view = await WebviewPage.open(); });
  after(async () => { await view?.close(); });

  it('loads under the strict CSP and asks the host for its state', async () => {
    await view.page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await view.posted(), [{ type: 'ready' }]);
    assert.deepEqual(view.errors, []);
  });

  it('renders the machine and an empty state before any run', async () => {
    await view.init();
    const header = await view.page.textContent('header.machine');
    assert.match(header ?? '', /2 cores · linux/);
    assert.match(await view.page.textContent('#panel-run') ?? '', /No run yet/);
    assert.equal(await view.page.getAttribute('#app', 'data-state'), 'empty');
    // Nothing to stop or export yet: Stop is hidden, the export buttons are disabled.
    assert.equal(await view.page.isVisible('[data-command="stopRun"]'), false);
    assert.equal(await view.page.isDisabled('[data-format="json"]'), true);
    await view.screenshot('empty-dark');
    assert.deepEqual(view.errors, []);
  });
});
