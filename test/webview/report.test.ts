/**
 * A finished run (the recorded fixtures) rendered in chromium: what each view says, what the
 * commands post, keyboard reach, theme colours, and screenshots in the three themes.
 */
import * as assert from 'node:assert/strict';
import { WebviewPage, type Theme } from './support/page';
import { processReport, threadReport } from './support/fixtures';

const THEMES: Theme[] = ['vscode-dark', 'vscode-light', 'vscode-high-contrast'];

/** What the element shows (layout-aware: table cells and lines become spaces). */
async function text(view: WebviewPage, selector: string): Promise<string> {
  return (await view.page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

describe('finished run: 2 process workers on 2 cores', () => {
  let view: WebviewPage;
  before(async () => {
    view = await WebviewPage.open('vscode-dark');
    await view.init({ report: processReport() });
  });
  after(async () => { await view?.close(); });
  afterEach(() => assert.deepEqual(view.errors, [], 'console errors (a CSP violation shows up here)'));

  it('draws one heatmap row per core, with a text alternative', async () => {
    assert.equal(await view.page.getAttribute('figure.heatmap', 'data-cores'), '2');
    assert.equal(await view.page.locator('figure.heatmap tr[data-core]').count(), 2);
    const label = await view.page.getAttribute('.heatmap-canvas', 'aria-label');
    assert.equal(await view.page.getAttribute('.heatmap-canvas', 'role'), 'img');
    assert.match(label ?? '', /2 cores over 30\.0 s: the workload used 1\.8 of 2 cores on average; other programs took 2\.\d % of the CPU time, steal 0\.2 %\./);
    assert.match(await text(view, 'figure.heatmap tr[data-core="1"]'), /^cpu1 \d+ % \d+ % \d+ %$/);
  });

  it('draws one lane per worker, with a text alternative', async () => {
    assert.equal(await view.page.getAttribute('figure.lanes', 'data-lanes'), '2');
    assert.equal(await view.page.locator('figure.lanes tbody tr').count(), 2);
    assert.match(await text(view, 'figure.lanes tbody tr:nth-child(2)'), /^process 41231 56 82 % 23\.9 s \d+ ms 1$/);
    assert.match(await view.page.getAttribute('.lanes-canvas', 'aria-label') ?? '', /2 workers, 115 tasks; .*; 1 task failed\./);
  });

  it('summarises the run in cards, with the GIL verdict and its reason', async () => {
    assert.equal(await text(view, '[data-card="wall"] .value'), '30.0 s');
    assert.equal(await text(view, '[data-card="cores"] .value'), '1.80 of 2');
    assert.equal(await text(view, '[data-card="efficiency"] .value'), '90 %');
    assert.equal(await text(view, '[data-card="gil"] .value'), 'Not GIL-bound');
    assert.equal(await text(view, '[data-card="gil"] .detail'), 'each worker is a separate process with its own GIL.');
    assert.equal(await text(view, '[data-card="ipc"] .value'), '0.9 %');
    assert.equal(await text(view, '[data-card="oversubscription"] .value'), '0.01');
    assert.match(await view.page.getAttribute('figure.cores-used', 'aria-label') ?? '', /the workload used 1\.8 of 2 usable cores on average, peak 1\.9, with 2 workers\./);
  });

  it('says what the pool override replaced', async () => {
    assert.equal(await text(view, '.pool [data-replaced="true"]'),
      'your code asked for ThreadPoolExecutor(4) at cpu_bound.py:12; this run used processes × 2 (spawn) open');
    assert.equal(await text(view, '.pool [data-override]'), 'processes × 2 (spawn)');
  });

  it('opens a finding at its line when clicked, and with Enter or Space from the keyboard', async () => {
    await view.clearPosted();
    const findings = view.page.locator('button.finding');
    assert.equal(await findings.count(), 2);
    await findings.nth(0).click();
    await findings.nth(1).focus();
    await view.page.keyboard.press('Enter');
    await view.page.keyboard.press('Space');
    const file = processReport().script;
    assert.deepEqual(await view.posted(), [
      { type: 'openLocation', file, line: 18 },
      { type: 'openLocation', file, line: 31 },
      { type: 'openLocation', file, line: 31 },
    ]);
  });

  it('posts exportReport for each format', async () => {
    await view.clearPosted();
    for (const format of ['json', 'html', 'trace']) await view.page.click(`[data-format="${format}"]`);
    assert.deepEqual(await view.posted(), [
      { type: 'exportReport', format: 'json' }, { type: 'exportReport', format: 'html' }, { type: 'exportReport', format: 'trace' },
    ]);
    assert.equal(await view.page.isVisible('[data-command="stopRun"]'), false, 'no Stop once the run has finished');
  });

  it('shows a task on hover, and walks tasks with the keyboard (Enter opens the submitting line)', async () => {
    const canvas = view.page.locator('.lanes-canvas');
    const box = (await canvas.boundingBox())!;
    await view.page.mouse.move(box.x + box.width / 2, box.y + 8);
    assert.match(await text(view, 'figure.lanes .tooltip'), /^process 41230, task \d+ of 59 submitted at cpu_bound\.py:27 \(main\)/);
    await view.page.mouse.move(0, 0);
    await view.clearPosted();
    await canvas.focus();
    await view.page.keyboard.press('ArrowRight');
    // Down keeps the moment: the task of the next lane running at that time.
    await view.page.keyboard.press('ArrowDown');
    const announced = await text(view, 'figure.lanes [aria-live]');
    assert.match(announced, /^process 41231, task 1 of 56; submitted at cpu_bound\.py:27 \(main\); [\d.]+ ms from 0\.67 s, pickling [\d.]+ ms; arguments [\d.]+ (k)?B · result \d+ B$/);
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.posted(), [{ type: 'openLocation', file: processReport().script, line: 27 }]);
  });

  it('shows a core\'s shares on hover over the heatmap', async () => {
    const box = (await view.page.locator('.heatmap-canvas').boundingBox())!;
    await view.page.mouse.move(box.x + box.width / 2, box.y + 50);
    assert.match(await text(view, 'figure.heatmap .tooltip'), /^cpu1 at [\d.]+ s workload \d+ % · other programs \d+ % · steal \d+ %$/);
    await view.page.mouse.move(0, 0);
  });

  it('reaches every command by keyboard, with a visible focus ring', async () => {
    await view.page.mouse.click(2, 2); // the top of the page: Tab starts from there
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await view.page.keyboard.press('Tab');
      const focused = await view.page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as {
          document: { activeElement: { tagName: string; getAttribute(n: string): string | null; className: string } | null };
          getComputedStyle(e: unknown): { outlineStyle: string };
        };
        const e = document.activeElement;
        if (!e || e.tagName === 'BODY') return null;
        const ring = getComputedStyle(e).outlineStyle !== 'none';
        return `${e.getAttribute('data-format') ?? e.getAttribute('data-tab') ?? e.getAttribute('data-rule') ?? e.getAttribute('aria-label') ?? e.className}${ring ? '' : ' (no focus ring)'}`;
      });
      if (focused === null || seen.includes(focused)) break;
      seen.push(focused);
    }
    assert.deepEqual(seen.filter((s) => s.includes('no focus ring')), []);
    for (const expected of ['json', 'html', 'trace', 'run', 'PAR020', 'PAR006', 'Open cpu_bound.py:12']) {
      assert.ok(seen.includes(expected), `${expected} is reachable by Tab (got ${seen.join(', ')})`);
    }
    assert.ok(seen.some((s) => s.startsWith('Worker lanes')), 'the lanes canvas is reachable by Tab');
  });

  it('re-reads canvas colours when the theme changes', async () => {
    const pixel = () => view.page.evaluate(() => {
      const { document } = globalThis as unknown as { document: { querySelector(s: string): { width: number; getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: number[] } } } } };
      const canvas = document.querySelector('.heatmap-canvas');
      // Middle of the run, the bottom of cpu0's row: the workload's colour.
      return Array.from(canvas.getContext('2d').getImageData(Math.round(canvas.width / 2), 36, 1, 1).data).slice(0, 3);
    });
    assert.deepEqual(await pixel(), [0x37, 0x94, 0xff], 'dark: --vscode-charts-blue #3794ff');
    await view.setTheme('vscode-light');
    assert.deepEqual(await pixel(), [0x1a, 0x85, 0xff], 'light: --vscode-charts-blue #1a85ff');
    await view.setTheme('vscode-dark');
    assert.deepEqual(await pixel(), [0x37, 0x94, 0xff]);
  });
});

describe('finished run: 2 threads, GIL-bound', () => {
  let view: WebviewPage;
  before(async () => {
    view = await WebviewPage.open('vscode-light');
    await view.init({ report: threadReport() });
  });
  after(async () => { await view?.close(); });
  afterEach(() => assert.deepEqual(view.errors, []));

  it('gives the GIL verdict with its reason in words', async () => {
    assert.equal(await text(view, '[data-card="gil"] .value'), 'GIL-bound');
    assert.equal(await view.page.getAttribute('[data-card="gil"]', 'data-level'), 'problem');
    assert.match(await text(view, '[data-card="gil"] .detail'), /^2 threads ran pure-Python code but used 0\.99 cores together; they waited for the GIL 49 % of the time\. Use a process pool for CPU-bound work\.$/);
    assert.equal(await text(view, '[data-card="efficiency"] .value'), '50 %');
  });

  it('shows two thread lanes and the pool as written', async () => {
    assert.equal(await view.page.getAttribute('figure.lanes', 'data-lanes'), '2');
    assert.deepEqual(await view.page.locator('figure.lanes tbody th').allTextContents(), ['thread 41201', 'thread 41202']);
    assert.equal(await text(view, '.pool [data-replaced="false"]'), 'ThreadPoolExecutor(2) at cpu_bound.py:12 ran as written: threads × 2 open');
    assert.match(await text(view, 'button.finding'), /^hint PAR030 This thread pool runs CPU-bound pure-Python work/i);
  });
});

describe('finished runs in the three themes (screenshots)', () => {
  for (const theme of THEMES) {
    it(`renders both fixtures in ${theme}`, async () => {
      const view = await WebviewPage.open(theme);
      try {
        await view.init({ report: processReport() });
        await view.screenshot(`report-process-${theme.replace('vscode-', '')}`);
        await view.init({ report: threadReport() });
        await view.screenshot(`report-thread-${theme.replace('vscode-', '')}`);
        assert.equal(await view.page.getAttribute('#app', 'data-state'), 'finished');
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });
  }
});

describe('charts follow the panel', () => {
  it('redraw at the new width when the panel is resized', async () => {
    const view = await WebviewPage.open('vscode-dark', { width: 1200, height: 900 });
    try {
      await view.init({ report: processReport() });
      const widths = () => view.page.evaluate(() => {
        const { document } = globalThis as unknown as { document: { querySelectorAll(s: string): { width: number }[] } };
        return Array.from(document.querySelectorAll('.heatmap-canvas, .lanes-canvas, figure.cores-used canvas'), (c) => c.width);
      });
      const wide = await widths();
      await view.page.setViewportSize({ width: 800, height: 900 });
      await view.page.waitForTimeout(200);
      await view.frame();
      const narrow = await widths();
      assert.equal(narrow.length, 3);
      narrow.forEach((w, i) => assert.ok(w < wide[i]! - 300, `canvas ${i}: ${wide[i]} → ${w}`));
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('draw when a hidden tab is shown', async () => {
    const view = await WebviewPage.open('vscode-dark', undefined, { tab: 'sweep' });
    try {
      await view.init({ report: processReport() });
      assert.equal(await view.page.isVisible('#panel-run'), false);
      await view.page.click('[data-tab="run"]');
      await view.page.waitForTimeout(100);
      await view.frame();
      assert.match(await view.page.getAttribute('.heatmap-canvas', 'aria-label') ?? '', /^Per-core heatmap, 2 cores over 30\.0 s/);
      assert.ok(await view.page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { width: number } } }).document.querySelector('.heatmap-canvas').width > 1000));
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});

describe('the selected tab survives a reload (getState / setState)', () => {
  it('saves the tab the user picks and restores it', async () => {
    const first = await WebviewPage.open();
    let saved: unknown;
    try {
      await first.init({ report: processReport() });
      assert.equal(await first.page.getAttribute('[data-tab="run"]', 'aria-selected'), 'true');
      await first.page.focus('[data-tab="run"]');
      await first.page.keyboard.press('ArrowRight');
      assert.equal(await first.page.getAttribute('[data-tab="sweep"]', 'aria-selected'), 'true');
      assert.equal(await first.page.isVisible('#panel-run'), false);
      saved = await first.page.evaluate(() => (globalThis as unknown as { __state: unknown }).__state);
      assert.deepEqual(saved, { tab: 'sweep' });
    } finally {
      await first.close();
    }
    const second = await WebviewPage.open('vscode-dark', undefined, saved);
    try {
      await second.init({ report: processReport() });
      assert.equal(await second.page.getAttribute('[data-tab="sweep"]', 'aria-selected'), 'true');
      assert.match(await text(second, '#panel-sweep'), /No sweep yet/);
      assert.deepEqual(second.errors, []);
    } finally {
      await second.close();
    }
  });
});

describe('a program that never fanned work out', () => {
  it('shows no parallel efficiency, and says why', async () => {
    const report = processReport();
    // The same run seen as one main thread doing the work itself: no pool workers, no lanes.
    report.workers = report.workers.filter((w) => w.kind === 'main');
    report.metrics.verdicts = report.metrics.verdicts.filter((v) => v.id !== 'efficiency');
    assert.ok(report.metrics.parallelEfficiency !== null, 'the metric itself is still computed');
    const view = await WebviewPage.open();
    try {
      await view.init({ report });
      assert.equal(await text(view, '[data-card="efficiency"] .value'), '—');
      assert.equal(await text(view, '[data-card="efficiency"] .detail'),
        'the program never fanned work out (no pool workers, threads or processes)');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});

describe('verdicts about a line', () => {
  it('offer to open the line they are about; verdicts without one, and older reports, show no button', async () => {
    const report = processReport();
    const file = '/home/ana/parallel walls/task_errors.py';
    report.metrics.verdicts = [
      ...report.metrics.verdicts,
      { id: 'task-errors', level: 'warning', title: '2 of 6 tasks raised', detail: `ValueError — 2 tasks, the first “bad input 2” (submitted at ${file}:13).`, site: { file, line: 13 } },
      // A damaged site (a report from elsewhere) is not offered.
      { id: 'granularity', level: 'warning', title: 'Tasks too small', detail: '4,000 tasks of 0.50 ms (median).', site: { file: '', line: 0 } },
      { id: 'idle', level: 'warning', title: 'Workers often idle', detail: 'Pool workers were idle 40 % of their lifetime.' },
    ];
    const view = await WebviewPage.open();
    try {
      await view.init({ report });
      const raised = view.page.locator('[data-verdict="task-errors"] button');
      assert.equal(await raised.count(), 1);
      assert.equal(await raised.textContent(), 'task_errors.py:13');
      assert.equal(await view.page.locator('[data-verdict="granularity"] button').count(), 0);
      assert.equal(await view.page.locator('[data-verdict="idle"]').count(), 1);
      assert.equal(await view.page.locator('[data-verdict="idle"] button').count(), 0, 'no line, no button');
      await view.clearPosted();
      await raised.click();
      assert.deepEqual(await view.posted(), [{ type: 'openLocation', file, line: 13 }]);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});
