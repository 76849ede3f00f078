/**
 * The Sweep tab: the recommendation, the table of points, the curves' text alternatives,
 * failures with their line, progress while the sweep runs, and its commands.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage, type Theme } from './support/page';
import { cpuSweep, lambdaSweep } from './support/fixtures';

async function text(view: WebviewPage, selector: string): Promise<string> {
  return (await view.page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

async function rows(view: WebviewPage): Promise<string[]> {
  return (await view.page.locator('table.points tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
}

describe('sweep: CPU-bound on 2 cores', () => {
  let view: WebviewPage;
  before(async () => {
    view = await WebviewPage.open('vscode-dark');
    await view.init({ sweep: cpuSweep() });
  });
  after(async () => { await view?.close(); });
  afterEach(() => assert.deepEqual(view.errors, []));

  it('opens on the Sweep tab when there is only a sweep', async () => {
    assert.equal(await view.page.getAttribute('[data-tab="sweep"]', 'aria-selected'), 'true');
  });

  it('states the recommendation with its reason', async () => {
    assert.equal(await text(view, '.recommendation .headline'),
      'Recommended: processes × 2. Threads stay at 1.0× — GIL-bound; processes reach 1.8× with 2 workers.');
    assert.equal(await view.page.getAttribute('.recommendation', 'data-pool'), 'process');
    assert.match(await text(view, '.recommendation .notes'), /Amdahl fit: 11 % of the work is serial — at most 9\.1× however many workers\./);
    assert.doesNotMatch(await text(view, '.recommendation .notes'), /Other programs/, 'a quiet machine gets no note');
  });

  it('lists every point: median, spread, speedup, efficiency, GIL', async () => {
    assert.deepEqual(await rows(view), [
      'processes 1 6.30 s 6 % 1.0× 100 % 0.97 —',
      'processes recommended 2 3.50 s 6 % 1.8× 90 % 1.75 —',
      'threads 1 6.10 s 4 % 1.0× 100 % 0.97 no',
      'threads 2 6.30 s 4 % 1.0× 48 % 0.94 GIL-bound',
      'threads 4 6.40 s 4 % 0.9× 24 % 0.92 GIL-bound',
    ]);
    assert.equal(await view.page.locator('tr[data-recommended="true"]').count(), 1);
  });

  it('labels the speedup and efficiency curves for screen readers', async () => {
    assert.equal(await view.page.getAttribute('figure.sweep-speedup', 'role'), 'img');
    assert.equal(await view.page.getAttribute('figure.sweep-speedup', 'aria-label'),
      'Speedup by workers: processes reach 1.8× with 2 workers; threads reach 1.0× with 1 worker (ideal 4.0× at 4).');
    assert.equal(await view.page.getAttribute('figure.sweep-efficiency', 'aria-label'),
      'Efficiency by workers: processes 90 % efficient at 2 workers; threads 100 % efficient at 1 worker (ideal 100 %).');
    assert.equal(await view.page.locator('figure.sweep-speedup canvas').count(), 1);
  });

  it('posts rerunSweep, and exports the sweep (no trace) from this tab', async () => {
    await view.clearPosted();
    await view.page.click('[data-command="rerunSweep"]');
    await view.page.click('[data-format="json"]');
    await view.page.click('[data-format="html"]');
    assert.equal(await view.page.isVisible('[data-format="trace"]'), false);
    assert.deepEqual(await view.posted(), [
      { type: 'rerunSweep' }, { type: 'exportReport', format: 'json', target: 'sweep' }, { type: 'exportReport', format: 'html', target: 'sweep' },
    ]);
  });
});

describe('sweep: a lambda task fails to pickle on the process points', () => {
  let view: WebviewPage;
  before(async () => {
    view = await WebviewPage.open('vscode-light');
    await view.init({ sweep: lambdaSweep() });
  });
  after(async () => { await view?.close(); });
  afterEach(() => assert.deepEqual(view.errors, []));

  it('shows the failure with its line on each process point, and opens it', async () => {
    const failures = view.page.locator('table.points .failure');
    assert.equal(await failures.count(), 2);
    assert.equal(await text(view, 'table.points .failure'), "PAR001: Can't pickle <function <lambda>>: attribute lookup <lambda> on __main__ failed lambda_task.py:9");
    await view.clearPosted();
    await failures.nth(0).locator('button').click();
    await failures.nth(1).locator('button').focus();
    await view.page.keyboard.press('Enter');
    const file = '/home/ana/parallel walls/lambda_task.py';
    assert.deepEqual(await view.posted(), [{ type: 'openLocation', file, line: 9 }, { type: 'openLocation', file, line: 9 }]);
  });

  it('says processes failed everywhere, and warns about noise and a busy machine', async () => {
    assert.match(await text(view, 'figure.sweep-speedup .legend'), /processes \(failed at every point\)/);
    assert.match(await view.page.getAttribute('figure.sweep-speedup', 'aria-label') ?? '', /processes failed at every point/);
    assert.match(await text(view, '.recommendation .notes'), /The repeats varied a lot/);
    assert.match(await text(view, '.recommendation .notes'),
      /Other programs kept up to 0\.62 cores busy \(during threads × 2\): speedups measured meanwhile are lower than on a quiet machine\./);
  });
});

describe('sweep: progress while it runs', () => {
  it('switches to the Sweep tab, shows progress, then the result', async () => {
    const view = await WebviewPage.open();
    try {
      await view.init();
      const sweep = cpuSweep();
      await view.send({ type: 'sweepProgress', progress: { sweepId: 's1', script: sweep.script, planned: 15, done: 6, points: sweep.points.slice(0, 2), current: 'threads × 4 (run 1 of 3)' } });
      await view.frame();
      assert.equal(await view.page.getAttribute('[data-tab="sweep"]', 'aria-selected'), 'true');
      assert.equal(await text(view, '[data-tab="sweep"]'), 'Sweep (6/15)');
      assert.equal(await text(view, '[data-notice="sweep-progress"]'), 'Sweeping: 6 of 15 runs done. Now running threads × 4 (run 1 of 3).');
      assert.equal(await view.page.getAttribute('progress', 'value'), '6');
      assert.equal(await view.page.isDisabled('[data-command="rerunSweep"]'), true);
      assert.equal((await rows(view)).length, 2);
      await view.screenshot('sweep-progress-dark');
      await view.send({ type: 'sweepFinished', sweep });
      await view.frame();
      assert.equal(await text(view, '[data-tab="sweep"]'), 'Sweep');
      assert.match(await text(view, '.recommendation .headline'), /^Recommended: processes × 2\./);
      assert.equal(await view.page.isDisabled('[data-command="rerunSweep"]'), false);
      assert.match(await text(view, '#announcer'), /^Sweep finished: threads stay at 1\.0×/);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});

describe('sweep in the three themes (screenshots)', () => {
  for (const theme of ['vscode-dark', 'vscode-light', 'vscode-high-contrast'] as Theme[]) {
    it(`renders in ${theme}`, async () => {
      const view = await WebviewPage.open(theme, { width: 1000, height: 800 });
      try {
        await view.init({ sweep: cpuSweep() });
        await view.screenshot(`sweep-${theme.replace('vscode-', '')}`);
        assert.equal(await view.page.locator('table.points tbody tr').count(), 5);
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }
});
