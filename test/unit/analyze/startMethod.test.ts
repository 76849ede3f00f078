import * as assert from 'node:assert/strict';
import { Analyzer, type AnalyzeOptions } from '../../../src/core/analyze';

const TEXT = 'import multiprocessing\n\nwith multiprocessing.Pool() as pool:\n    pool.map(abs, [1])\n';

describe('static checks: the start method', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await Analyzer.load();
  });

  function method(text: string, options: AnalyzeOptions) {
    const result = analyzer.analyze(text, options);
    return { ...result.startMethod, guard: result.findings.some((f) => f.rule === 'PAR010') };
  }

  it('defaults by platform and Python version (forkserver on Linux from 3.14)', () => {
    assert.deepEqual(method(TEXT, { platform: 'linux', pythonVersion: '3.13' }), { method: 'fork', source: 'default', guard: false });
    assert.deepEqual(method(TEXT, { platform: 'linux', pythonVersion: '3.14' }), { method: 'forkserver', source: 'default', guard: true });
    assert.deepEqual(method(TEXT, { platform: 'linux' }), { method: 'fork', source: 'default', guard: false });
    assert.deepEqual(method(TEXT, { platform: 'darwin', pythonVersion: '3.12' }), { method: 'spawn', source: 'default', guard: true });
    assert.deepEqual(method(TEXT, { platform: 'win32', pythonVersion: '3.8' }), { method: 'spawn', source: 'default', guard: true });
  });

  it('lets the setting override the default', () => {
    assert.deepEqual(method(TEXT, { platform: 'darwin', startMethod: 'fork' }), { method: 'fork', source: 'setting', guard: false });
    assert.deepEqual(method(TEXT, { platform: 'linux', startMethod: 'forkserver' }), { method: 'forkserver', source: 'setting', guard: true });
  });

  it('lets the file override the setting (set_start_method, get_context)', () => {
    const set = `import multiprocessing as mp\nmp.set_start_method("spawn")\n${TEXT}`;
    assert.deepEqual(method(set, { platform: 'linux', startMethod: 'fork' }), { method: 'spawn', source: 'file', guard: true });
    const named = `import multiprocessing as mp\nMETHOD = "fork"\nmp.set_start_method(METHOD)\n${TEXT}`;
    assert.deepEqual(method(named, { platform: 'darwin' }), { method: 'fork', source: 'file', guard: false });
    const ctx = 'import multiprocessing as mp\nctx = mp.get_context("fork")\nwith ctx.Pool() as pool:\n    pool.map(abs, [1])\n';
    assert.equal(method(ctx, { platform: 'darwin' }).guard, false);
    const executor = 'import multiprocessing as mp\nfrom concurrent.futures import ProcessPoolExecutor\nex = ProcessPoolExecutor(mp_context=mp.get_context("spawn"))\n';
    assert.equal(method(executor, { platform: 'linux' }).guard, true);
  });
});
