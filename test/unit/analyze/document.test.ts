import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Analyzer, type AnalysisResult, type AnalyzeOptions } from '../../../src/core/analyze';

const OPTIONS: AnalyzeOptions = { fileName: 'doc.py', platform: 'darwin' };

function summary(result: AnalysisResult): string[] {
  return result.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule} ${f.message}`);
}

describe('static checks: a document kept across edits', () => {
  let analyzer: Analyzer;
  before(async () => {
    analyzer = await Analyzer.load();
  });

  const base = readFileSync('test/fixtures/check/par005_locks.py', 'utf8');

  /** Each edit, applied in turn; after each, the incremental result must equal a fresh analysis. */
  const edits: [string, (text: string) => string][] = [
    ['insert lines at the top', (t) => `# a comment\n\n${t}`],
    ['edit inside one function', (t) => t.replace('pool.apply_async(work, (1, event))', 'pool.apply_async(work, (2, event, lock))')],
    ['delete a statement', (t) => t.replace('event = threading.Event()\n', '')],
    ['half-type a call', (t) => t.replace('        pool.map(careful.run, range(3))\n', '        pool.map(careful.run, range(3)\n')],
    ['finish typing it', (t) => t.replace('        pool.map(careful.run, range(3)\n', '        pool.map(careful.run, range(3))\n')],
    ['indent a top-level line into the function before it', (t) => t.replace('\n\ndef work(*args):', '\n\n    def work(*args):')],
    ['undo that', (t) => t.replace('\n\n    def work(*args):', '\n\ndef work(*args):')],
    ['add a statement at the end', (t) => `${t}\nwith multiprocessing.Pool() as p:\n    p.map(lambda x: x, [1])\n`],
    ['empty the file', () => ''],
    ['type it back', () => base],
  ];

  it('gives the same findings as a fresh analysis after every edit', () => {
    const doc = analyzer.open(base);
    let text = base;
    assert.deepEqual(summary(doc.analyze(OPTIONS)), summary(analyzer.analyze(text, OPTIONS)));
    for (const [what, edit] of edits) {
      text = edit(text);
      doc.update(text);
      assert.deepEqual(summary(doc.analyze(OPTIONS)), summary(analyzer.analyze(text, OPTIONS)), what);
    }
    doc.dispose();
  });

  it('re-parses only the statement an edit touched', () => {
    const doc = analyzer.open(base);
    doc.analyze(OPTIONS);
    doc.update(base.replace('pool.apply_async(work, (lock,))', 'pool.apply_async(work, (lock, 2))'));
    assert.equal(doc.updateStats.parsed, 1);
    doc.update(base.replace('pool.apply_async(work, (lock,))', 'pool.apply_async(work, (lock, 2))'));
    assert.equal(doc.updateStats.parsed, 0);
    doc.dispose();
  });

  it('moves findings below an edit without re-parsing them', () => {
    const doc = analyzer.open(base);
    const before = doc.analyze(OPTIONS).findings;
    doc.update(`\n\n\n${base}`);
    assert.equal(doc.updateStats.parsed, 0);
    const after = doc.analyze(OPTIONS).findings;
    assert.deepEqual(after.map((f) => f.line), before.map((f) => f.line + 3));
    assert.deepEqual(after.map((f) => f.start), before.map((f) => f.start + 3));
    doc.dispose();
  });

  it('parses a function it skipped once a pool call makes it a task', () => {
    const text = 'import multiprocessing\n\n\ndef helper(x):\n    def inner(y):\n        return y\n    return inner\n';
    const doc = analyzer.open(text);
    assert.deepEqual(doc.analyze(OPTIONS).findings, []);
    assert.equal(doc.analyze(OPTIONS).parsed.deep, 1);
    doc.update(`${text}\n\nif __name__ == "__main__":\n    multiprocessing.Pool().map(helper, [1])\n`);
    const result = doc.analyze(OPTIONS);
    assert.deepEqual(result.findings, []);
    assert.equal(result.parsed.deep, 3);
    doc.dispose();
  });

  it('reports Python 2 code once, as a note, and nothing else', () => {
    const result = analyzer.analyze('import multiprocessing\n\nprint "hello"\npool = multiprocessing.Pool()\npool.map(lambda x: x, [1])\n', OPTIONS);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.notes.map((n) => [n.kind, n.line]), [['python2', 3]]);
    assert.match(result.notes[0].message, /Python 2 code \(a print statement on line 3\)/);
  });

  it('never throws on odd input', () => {
    for (const text of ['', '\n', '\u0000\u0001', '"""', "'", '(((((', 'def', '@', 'if x:\n', 'é = 1\n', '\t\tx = 1\n', 'class C(:\n  pass', '\r\n\r\n']) {
      const result = analyzer.analyze(text, OPTIONS);
      assert.ok(Array.isArray(result.findings), JSON.stringify(text));
    }
  });

  it('uses UTF-16 columns like the editor', () => {
    const text = 'import multiprocessing\n\ndef run(d):\n    s = "héllo 😀"; multiprocessing.Pool().map(lambda x: x, d)\n';
    const [finding] = analyzer.analyze(text, OPTIONS).findings;
    assert.equal(finding.column, text.split('\n')[3].indexOf('lambda') + 1);
  });

  it('records Value/Array type codes for the hover', () => {
    const doc = analyzer.open('from multiprocessing import Value\nv = Value("d", 0.0)\n');
    doc.analyze(OPTIONS);
    const at = doc.text.indexOf('"d"') + 1;
    assert.deepEqual(doc.typeCodeAt(at), { start: at - 1, end: at + 2, code: 'd' });
    assert.equal(doc.typeCodeAt(0), null);
    doc.dispose();
  });
});
