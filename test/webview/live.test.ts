/**
 * A simulated live stream (the recorded process run replayed as the host sends it: one sample
 * batch per interval, tasks as they end, then the report): views update in place, Stop posts
 * `stopRun`, history stays bounded, and the finished report replaces the live view.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage, type Theme } from './support/page';
import { processReport } from './support/fixtures';
import { liveStream } from './support/synthetic';
import { DEFAULT_MAX_LIVE_SAMPLES, PanelStore } from '../../src/panelState';
import type { LiveRunHeader, SampleBatch, ToWebviewMessage } from '../../src/protocol';

async function text(view: WebviewPage, selector: string): Promise<string> {
  return (await view.page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

/** Index of the first sample batch at or after `seconds`. */
function at(messages: ToWebviewMessage[], seconds: number): number {
  return messages.findIndex((m) => m.type === 'runSamples' && (m.batch.t[0] ?? 0) >= seconds);
}

describe('live run: a simulated stream', () => {
  let view: WebviewPage;
  const messages = liveStream(processReport());
  before(async () => {
    view = await WebviewPage.open('vscode-dark');
    await view.init();
  });
  after(async () => { await view?.close(); });
  afterEach(() => assert.deepEqual(view.errors, []));

  it('shows the run as live from its first batch, with Stop', async () => {
    await view.sendAll(messages.slice(0, at(messages, 5)));
    assert.equal(await view.page.getAttribute('#app', 'data-state'), 'live');
    assert.equal(await text(view, 'header .status'), '● Running cpu_bound.py');
    assert.equal(await view.page.isVisible('[data-command="stopRun"]'), true);
    assert.equal(await view.page.isDisabled('[data-format="json"]'), true, 'nothing to export until the run ends');
    assert.equal(await view.page.getAttribute('figure.heatmap', 'data-cores'), '2');
    assert.equal(await view.page.getAttribute('figure.lanes', 'data-lanes'), '2');
    assert.equal(await text(view, '[data-card="wall"] .value'), '4.90 s');
    assert.match(await text(view, '[data-card="gil"] .detail'), /when the run ends/);
  });

  it('updates the views in place: same elements, new numbers', async () => {
    await view.page.evaluate(() => {
      const g = globalThis as unknown as { document: { querySelector(s: string): unknown }; __kept: unknown[] };
      g.__kept = ['.heatmap-canvas', '.lanes-canvas', 'figure.cores-used canvas', '[data-card="wall"]', '.cards'].map((s) => g.document.querySelector(s));
    });
    const before = await text(view, '[data-card="cores"] .detail');
    await view.sendAll(messages.slice(at(messages, 5), at(messages, 12)));
    const same = await view.page.evaluate(() => {
      const g = globalThis as unknown as { document: { querySelector(s: string): unknown }; __kept: unknown[] };
      return ['.heatmap-canvas', '.lanes-canvas', 'figure.cores-used canvas', '[data-card="wall"]', '.cards'].map((s, i) => g.document.querySelector(s) === g.__kept[i]);
    });
    assert.deepEqual(same, [true, true, true, true, true]);
    assert.equal(await text(view, '[data-card="wall"] .value'), '11.9 s');
    assert.notEqual(await text(view, '[data-card="cores"] .detail'), before);
    assert.match(await text(view, '[data-card="ipc"] .detail'), /of task time spent pickling, over \d+ tasks/);
  });

  it('posts stopRun when Stop is clicked', async () => {
    await view.clearPosted();
    await view.page.click('[data-command="stopRun"]');
    assert.deepEqual(await view.posted(), [{ type: 'stopRun' }]);
  });

  it('takes a screenshot mid-run in each theme', async () => {
    for (const theme of ['vscode-light', 'vscode-high-contrast', 'vscode-dark'] as Theme[]) {
      await view.setTheme(theme);
      await view.screenshot(`live-${theme.replace('vscode-', '')}`);
    }
  });

  it('replaces the live view with the report when the run finishes', async () => {
    await view.sendAll(messages.slice(at(messages, 12)));
    assert.equal(await view.page.getAttribute('#app', 'data-state'), 'finished');
    assert.equal(await view.page.isVisible('[data-command="stopRun"]'), false);
    assert.equal(await view.page.isDisabled('[data-format="json"]'), false);
    assert.equal(await text(view, '[data-card="gil"] .value'), 'Not GIL-bound');
    assert.equal(await view.page.locator('button.finding').count(), 2);
    assert.match(await text(view, '#announcer'), /^Run finished: cpu_bound\.py\.$/);
  });
});

describe('live run: history stays bounded', () => {
  it('keeps the charts to the last 30 minutes of a longer stream', async () => {
    const view = await WebviewPage.open();
    try {
      await view.init();
      const header: LiveRunHeader = {
        runId: 'long', script: '/w/long.py', python: null,
        pool: { kind: 'process', workers: 2, startMethod: null, chunksize: null, instances: [] },
        cpuCount: 2, usableCpus: 2, sampleIntervalMs: 100, startedAt: '2026-01-01T00:00:00Z',
      };
      await view.send({ type: 'runStarted', header });
      // 40 minutes at 10 Hz, sent as 100-sample batches (the host may coalesce when hidden).
      const total = 24_000;
      for (let from = 0; from < total; from += 2_000) {
        const batches: ToWebviewMessage[] = [];
        for (let i = from; i < from + 2_000; i += 100) {
          const n = 100;
          const batch: SampleBatch = {
            t: Array.from({ length: n }, (_, k) => (i + k + 1) / 10), coresUsed: Array<number>(n).fill(1.5),
            busy: [Array<number>(n).fill(0.8), Array<number>(n).fill(0.8)], workload: [Array<number>(n).fill(0.75), Array<number>(n).fill(0.75)],
            steal: [Array<number>(n).fill(0), Array<number>(n).fill(0)],
          };
          batches.push({ type: 'runSamples', runId: 'long', batch });
        }
        await view.sendAll(batches);
      }
      await view.page.waitForTimeout(1_100); // the text alternative refreshes once a second while live
      await view.sendAll([{ type: 'runSamples', runId: 'long', batch: { t: [2400.1], coresUsed: [1.5], busy: [[0.8], [0.8]], workload: [[0.75], [0.75]], steal: [[0], [0]] } }]);
      const label = await view.page.getAttribute('.heatmap-canvas', 'aria-label');
      const seconds = DEFAULT_MAX_LIVE_SAMPLES / 10; // the store keeps 30 minutes at 10 Hz
      assert.match(label ?? '', new RegExp(`2 cores over ${seconds}\\.\\d s: the workload used 1\\.5 of 2 cores`));
      assert.equal(await text(view, '[data-card="wall"] .value'), '40 min 00 s');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});

describe('live run: a panel that connects mid-run', () => {
  it('is rebuilt from the host\'s snapshot (sent encoded) as the panel that watched the stream', async () => {
    const messages = liveStream(processReport());
    const upTo = at(messages, 12);
    const host = new PanelStore({ cpuCount: 2, platform: 'linux' });
    for (const m of messages.slice(0, upTo)) host.apply(m);
    const watched = await WebviewPage.open();
    const joined = await WebviewPage.open();
    try {
      await watched.init();
      await watched.sendAll(messages.slice(0, upTo));
      await joined.init(host.snapshot());
      const picture = (view: WebviewPage) => view.page.evaluate(() => {
        const { document } = globalThis as unknown as { document: { querySelector(s: string): { toDataURL(): string } | null } };
        return document.querySelector('.heatmap-canvas')?.toDataURL();
      });
      assert.equal(await joined.page.getAttribute('#app', 'data-state'), 'live');
      for (const selector of ['[data-card="wall"] .value', '[data-card="cores"] .detail', '[data-card="ipc"] .detail']) {
        assert.equal(await text(joined, selector), await text(watched, selector), selector);
      }
      assert.equal(await joined.page.getAttribute('figure.lanes', 'data-lanes'), '2');
      assert.match(await joined.page.getAttribute('.lanes-canvas', 'aria-label') ?? '', /^Worker lanes: 2 workers, \d+ tasks/);
      assert.equal(await picture(joined), await picture(watched), 'the same heatmap');
      assert.deepEqual([...watched.errors, ...joined.errors], []);
    } finally {
      await watched.close();
      await joined.close();
    }
  });
});
