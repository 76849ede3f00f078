import * as assert from 'node:assert/strict';
import { Analyzer, applyFix, type AnalysisFinding, type AnalyzeOptions } from '../../../src/core/analyze';

const SPAWN: AnalyzeOptions = { fileName: 'fix.py', platform: 'linux', startMethod: 'spawn' };

describe('static checks: quick fixes', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await Analyzer.load();
  });

  function only(text: string, rule: string, options: AnalyzeOptions = SPAWN): AnalysisFinding {
    const findings = analyzer.analyze(text, options).findings.filter((f) => f.rule === rule);
    assert.equal(findings.length, 1, `expected one ${rule}, got ${JSON.stringify(findings.map((f) => f.message))}`);
    return findings[0];
  }

  /** Applies the finding's fix and checks the result is clean of that rule. */
  function fixed(text: string, rule: string, options: AnalyzeOptions = SPAWN): string {
    const finding = only(text, rule, options);
    assert.ok(finding.fix, `${rule} has no fix: ${finding.message}`);
    const after = applyFix(text, finding.fix);
    assert.deepEqual(analyzer.analyze(after, options).findings.filter((f) => f.rule === rule), []);
    return after;
  }

  it('points a PAR001 at the lambda itself (1-based columns, exclusive end)', () => {
    const text = 'import multiprocessing\n\nwith multiprocessing.Pool() as pool:\n    pool.map(lambda x: x * 2, range(3))\n';
    const finding = only(text, 'PAR001', { platform: 'linux' });
    assert.deepEqual(
      [finding.line, finding.column, finding.endLine, finding.endColumn, finding.severity],
      [4, 14, 4, 29, 'error'],
    );
    assert.equal(text.slice(finding.start, finding.end), 'lambda x: x * 2');
    assert.equal(finding.message, 'lambda passed to Pool.map cannot be pickled; define it with def at module level');
  });

  it('lifts a lambda that captures nothing to a module-level def', () => {
    const text = [
      'import multiprocessing',
      '',
      '',
      'def run(data):',
      '    with multiprocessing.Pool() as pool:',
      '        return pool.map(lambda x: x * 2, data)',
      '',
    ].join('\n');
    assert.equal(fixed(text, 'PAR001'), [
      'import multiprocessing',
      '',
      '',
      'def _map_task(x):',
      '    return x * 2',
      '',
      '',
      'def run(data):',
      '    with multiprocessing.Pool() as pool:',
      '        return pool.map(_map_task, data)',
      '',
    ].join('\n'));
  });

  it('offers no fix for a lambda that captures a local variable', () => {
    const text = 'import multiprocessing\n\ndef run(data, k):\n    with multiprocessing.Pool() as pool:\n        return pool.map(lambda x: x * k, data)\n';
    assert.equal(only(text, 'PAR001').fix, undefined);
  });

  it('turns a module-level lambda assignment into a def', () => {
    const text = 'import multiprocessing\n\nsquare = lambda x: x * x\n\nif __name__ == "__main__":\n    multiprocessing.Pool().map(square, [1])\n';
    assert.equal(
      fixed(text, 'PAR001'),
      'import multiprocessing\n\ndef square(x):\n    return x * x\n\nif __name__ == "__main__":\n    multiprocessing.Pool().map(square, [1])\n',
    );
  });

  it('moves a nested function that captures nothing to module level', () => {
    const text = [
      'import multiprocessing',
      '',
      '',
      'def run(data):',
      '    def work(x):',
      '        return x + 1',
      '',
      '    with multiprocessing.Pool() as pool:',
      '        return pool.map(work, data)',
      '',
    ].join('\n');
    assert.equal(fixed(text, 'PAR002'), [
      'import multiprocessing',
      '',
      '',
      'def work(x):',
      '    return x + 1',
      '',
      '',
      'def run(data):',
      '    with multiprocessing.Pool() as pool:',
      '        return pool.map(work, data)',
      '',
    ].join('\n'));
  });

  it('offers no fix for a closure', () => {
    const text = 'import multiprocessing\n\ndef run(data, k):\n    def work(x):\n        return x + k\n    with multiprocessing.Pool() as pool:\n        return pool.map(work, data)\n';
    assert.equal(only(text, 'PAR002').fix, undefined);
  });

  it('wraps a shared increment in with v.get_lock()', () => {
    const text = [
      'import multiprocessing',
      '',
      '',
      'def work(counter):',
      '    counter.value += 1  # count it',
      '',
      '',
      'def main():',
      '    counter = multiprocessing.Value("i", 0)',
      '    multiprocessing.Process(target=work, args=(counter,)).start()',
      '',
    ].join('\n');
    const after = fixed(text, 'PAR021');
    assert.equal(after.split('\n').slice(3, 6).join('\n'), 'def work(counter):\n    with counter.get_lock():\n        counter.value += 1  # count it');
  });

  it('adds a __main__ guard around the statements that start processes', () => {
    const text = [
      'import multiprocessing',
      '',
      '',
      'def square(x):',
      '    return x * x',
      '',
      '',
      'pool = multiprocessing.Pool(4)',
      '# results',
      'print(pool.map(square, range(10)))',
      '',
    ].join('\n');
    assert.equal(fixed(text, 'PAR010'), [
      'import multiprocessing',
      '',
      '',
      'def square(x):',
      '    return x * x',
      '',
      '',
      'if __name__ == "__main__":',
      '    pool = multiprocessing.Pool(4)',
      '    # results',
      '    print(pool.map(square, range(10)))',
      '',
    ].join('\n'));
  });

  it('offers no guard fix when a definition follows the offending statement', () => {
    const text = 'import multiprocessing\n\npool = multiprocessing.Pool(4)\n\ndef square(x):\n    return x * x\n\nprint(pool.map(square, [1]))\n';
    assert.equal(only(text, 'PAR010').fix, undefined);
  });
});
