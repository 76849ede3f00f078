/**
 * The self-contained HTML report (src/core/report/html.ts) is this webview bundle inlined with
 * a stand-in host: open the real generated files from disk, offline, under their own CSP.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ARTIFACTS, WebviewPage } from './support/page';
import { cpuSweep, processReport } from './support/fixtures';
import { loadWebviewAssets, reportToHtml, sweepToHtml } from '../../src/core/report/html';

function write(name: string, html: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, name);
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

async function text(view: WebviewPage, selector: string): Promise<string> {
  return (await view.page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

describe('self-contained HTML report, opened from disk', () => {
  const assets = loadWebviewAssets('media');

  it('renders a run with every view and no host commands, without a CSP violation', async () => {
    const view = await WebviewPage.openUrl(write('report.html', reportToHtml(processReport(), assets)));
    try {
      await view.page.waitForSelector('figure.heatmap');
      await view.frame();
      assert.equal(await view.page.getAttribute('figure.heatmap', 'data-cores'), '2');
      assert.equal(await view.page.getAttribute('figure.lanes', 'data-lanes'), '2');
      assert.equal(await text(view, '[data-card="gil"] .value'), 'Not GIL-bound');
      assert.equal(await view.page.locator('[data-command]').count(), 0, 'no Stop, Export or Run again without a host');
      await view.page.click('button.finding'); // nothing to open it in: harmless
      await view.screenshot('standalone-report');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('renders a sweep on its tab', async () => {
    const view = await WebviewPage.openUrl(write('sweep.html', sweepToHtml(cpuSweep(), assets)));
    try {
      await view.page.waitForSelector('.recommendation');
      assert.equal(await view.page.getAttribute('[data-tab="sweep"]', 'aria-selected'), 'true');
      assert.match(await text(view, '.recommendation .headline'), /^Recommended: processes × 2\./);
      assert.equal(await view.page.locator('table.points tbody tr').count(), 5);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});
