/**
 * Every state renders something clear — never a blank panel: failed, hung and cancelled runs,
 * damaged event files, a coarse sampler, a damaged report, a view that throws, the
 * self-contained HTML report (no host), and junk messages.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage } from './support/page';
import { cpuSweep, processReport } from './support/fixtures';
import type { Report } from '../../src/core/report/model';

async function text(view: WebviewPage, selector: string): Promise<string> {
  return (await view.page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

describe('run outcomes and damaged input', () => {
  let view: WebviewPage;
  before(async () => { view = await WebviewPage.open('vscode-dark'); });
  after(async () => { await view?.close(); });

  const show = async (change: (r: Report) => Partial<Report>): Promise<void> => {
    const report = processReport();
    await view.init({ report: { ...report, ...change(report) } });
  };

  it('says the script failed, with its exit code', async () => {
    await show(() => ({ exitCode: 3 }));
    assert.equal(await view.page.getAttribute('#app', 'data-state'), 'failed');
    assert.equal(await text(view, '[data-notice="failed"]'), 'The script exited with code 3. Its output is in the terminal; the figures cover the part that ran.');
    assert.equal(await text(view, 'header .status'), 'cpu_bound.py — failed (exit 3)');
    assert.equal(await text(view, '[data-card="wall"] .detail'), 'exit code 3');
    await view.screenshot('state-failed-dark');
  });

  it('says the pool hung, in the hang verdict\'s words', async () => {
    await show((r) => ({
      hung: true, exitCode: null, signal: 'SIGTERM',
      metrics: { ...r.metrics, verdicts: [...r.metrics.verdicts, { id: 'hang', level: 'problem', title: 'The pool hung.', detail: 'A worker raised an exception that cannot be rebuilt in the parent (PAR012); Pool would wait forever, so the run was ended after 5 s.' }] },
    }));
    assert.equal(await view.page.getAttribute('#app', 'data-state'), 'hung');
    assert.match(await text(view, '[data-notice="hung"]'), /^The pool hung\. A worker raised an exception that cannot be rebuilt/);
    assert.equal(await text(view, 'header .status'), 'cpu_bound.py — hung');
    assert.equal(await view.page.locator('[data-verdict="hang"]').count(), 0, 'said once, in the notice');
    await view.screenshot('state-hung-dark');
  });

  it('says the run was cancelled', async () => {
    await show(() => ({ cancelled: true, exitCode: null, signal: 'SIGINT', wallSeconds: 12.5 }));
    assert.equal(await view.page.getAttribute('#app', 'data-state'), 'cancelled');
    assert.equal(await text(view, '[data-notice="cancelled"]'), 'Run cancelled. It was stopped after 12.5 s; the figures cover the part that ran.');
  });

  it('warns when event files were damaged', async () => {
    await show(() => ({ ingest: { corruptLines: 4, droppedEvents: 2, files: 3 } }));
    assert.equal(await text(view, '[data-notice="ingest"]'),
      'Some events were damaged. 4 corrupt event lines skipped, 2 events dropped: lanes and task counts may be incomplete.');
    assert.equal(await view.page.getAttribute('figure.lanes', 'data-lanes'), '2', 'the rest still renders');
  });

  it('draws busy time in one colour when the sampler cannot tell the workload apart', async () => {
    await show((r) => ({
      sampler: { kind: 'os.cpus', coarse: true, samples: 300 },
      cores: r.cores.map((c) => ({ ...c, workload: c.workload.map(() => 0) })),
    }));
    assert.match(await text(view, '[data-notice="coarse"]'), /^Approximate per-core figures\./);
    assert.match(await text(view, 'figure.heatmap .legend'), /busy \(any program: this sampler cannot tell your workload apart\)/);
    assert.match(await view.page.getAttribute('.heatmap-canvas', 'aria-label') ?? '', /1\.\d of 2 cores were busy on average \(any program\)/);
  });

  it('shows what is missing from a damaged report, and renders the rest', async () => {
    const damaged = { ...processReport(), schema: 'parascope.report/0', sampleTimes: undefined, cores: 'garbage', metrics: null } as unknown as Report;
    await view.init({ report: damaged });
    const alert = await text(view, '#panel-run .view-error');
    assert.match(alert, /^Could not draw this report completely\. The data looks damaged \(missing or invalid: schema \(parascope\.report\/0\), sampleTimes, cores, metrics\)/);
    assert.equal(await text(view, '[data-card="wall"] .value'), '30.0 s');
    assert.equal(await view.page.getAttribute('figure.heatmap', 'data-cores'), '0');
    assert.equal(await text(view, 'figure.heatmap p.muted'), 'No per-core samples were recorded for this run.');
    assert.equal(await text(view, '[data-card="gil"] .value'), '—', 'no metrics: no verdict is made up');
    assert.equal(await view.page.locator('button.finding').count(), 2);
    await view.screenshot('state-damaged-dark');
  });

  it('draws the same from plain columns (JSON), encoded ones (as the host sends them) and other typed arrays', async () => {
    const report = processReport();
    const described = async () => [
      await view.page.getAttribute('.heatmap-canvas', 'aria-label'),
      await view.page.locator('figure.heatmap tbody').innerText(),
      await view.page.getAttribute('.lanes-canvas', 'aria-label'),
      await view.page.locator('figure.lanes tbody').innerText(),
      await view.page.getAttribute('figure.cores-used', 'aria-label'),
    ];
    await view.init({ report }, { plain: true });
    const plain = await described();
    await view.init({ report });
    assert.deepEqual(await described(), plain, 'encoded');
    await view.page.evaluate((r) => {
      const g = globalThis as unknown as { dispatchEvent(e: unknown): void; MessageEvent: new (t: string, i: unknown) => unknown };
      const typed = {
        ...r, sampleTimes: Float64Array.from(r.sampleTimes), coresUsedSeries: Float32Array.from(r.coresUsedSeries),
        cores: r.cores.map((c) => ({ ...c, busy: Float32Array.from(c.busy), workload: Float32Array.from(c.workload), steal: Float32Array.from(c.steal) })),
      };
      g.dispatchEvent(new g.MessageEvent('message', { data: { type: 'init', state: { protocolVersion: 1, live: null, report: typed, sweep: null, sweepProgress: null, machine: { cpuCount: 2, platform: 'linux' } } } }));
    }, report);
    await view.frame();
    assert.equal(await view.page.locator('.view-error').count(), 0);
    assert.deepEqual(await described(), plain, 'Float32Array columns');
    assert.match(plain[4] ?? '', /1\.8 of 2 usable cores on average/);
  });

  it('replaces a view that throws with a message, and keeps the others', async () => {
    const report = processReport();
    await view.init({ report: { ...report, tasks: [null, ...report.tasks] as unknown as Report['tasks'] } });
    await view.frame();
    assert.match(await text(view, '.run .view-error'), /^Could not draw the worker lanes\. The data looks damaged/);
    assert.equal(await view.page.locator('figure.lanes').count(), 0);
    assert.equal(await view.page.getAttribute('figure.heatmap', 'data-cores'), '2');
    assert.equal(await text(view, '[data-card="gil"] .value'), 'Not GIL-bound');
  });

  it('ignores malformed messages and messages for another run', async () => {
    await view.init({ report: processReport() });
    for (const junk of [null, 'init', { type: 'runSamples', runId: 5 }, { type: 'nope' }, { type: 'init' }]) {
      await view.page.evaluate((m) => {
        const g = globalThis as unknown as { dispatchEvent(e: unknown): void; MessageEvent: new (t: string, i: unknown) => unknown };
        g.dispatchEvent(new g.MessageEvent('message', { data: m }));
      }, junk);
    }
    await view.send({ type: 'runSamples', runId: 'another', batch: { t: [1], coresUsed: [1], busy: [[1], [1]], workload: [[1], [1]], steal: [[0], [0]] } });
    await view.frame();
    assert.equal(await view.page.getAttribute('#app', 'data-state'), 'finished');
    assert.deepEqual(view.errors, []);
  });
});

describe('self-contained HTML report (no host)', () => {
  it('hides Stop, Export and Run again; the rest works', async () => {
    const view = await WebviewPage.open('vscode-light');
    try {
      await view.init({ report: processReport(), sweep: cpuSweep(), standalone: true });
      assert.equal(await view.page.locator('[data-command]').count(), 0);
      assert.equal(await view.page.getAttribute('figure.heatmap', 'data-cores'), '2');
      await view.page.click('button.finding'); // harmless without a host
      await view.page.click('[data-tab="sweep"]');
      assert.match(await text(view, '.recommendation'), /^Recommended: processes × 2\./);
      assert.equal(await view.page.locator('[data-command="rerunSweep"]').count(), 0);
      await view.screenshot('standalone-sweep-light');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});
