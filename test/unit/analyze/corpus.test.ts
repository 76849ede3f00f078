/**
 * The fixture corpus (test/fixtures/check): every `# expect: PARxxx` comment must be matched by
 * exactly that finding on that line, and no line may get a finding it does not expect.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer, type AnalyzeOptions } from '../../../src/core/analyze';

const FOLDER = join('test', 'fixtures', 'check');

interface Case {
  file: string;
  text: string;
  options: AnalyzeOptions;
  expected: string[];
  note: string | null;
}

function load(file: string): Case {
  const text = readFileSync(join(FOLDER, file), 'utf8');
  const options: AnalyzeOptions = { fileName: file, platform: 'linux', pythonVersion: '3.12', startMethod: null };
  const header = /^# parascope: (.*)$/m.exec(text);
  if (header) {
    for (const [key, value] of header[1].split(/\s+/).map((pair) => pair.split('='))) {
      if (key === 'start-method') options.startMethod = value as AnalyzeOptions['startMethod'];
      else if (key === 'python') options.pythonVersion = value;
      else if (key === 'platform') options.platform = value;
    }
  }
  const expected: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /# expect: (PAR\d{3}(?:,\s*PAR\d{3})*)\s*$/.exec(line);
    if (m) for (const rule of m[1].split(/,\s*/)) expected.push(`${i + 1} ${rule}`);
  });
  return { file, text, options, expected: expected.sort(), note: /^# note: (\w+)$/m.exec(text)?.[1] ?? null };
}

describe('static checks: the fixture corpus', () => {
  let analyzer: Analyzer;
  const cases = readdirSync(FOLDER).filter((f) => f.endsWith('.py')).sort().map(load);

  before(async () => {
    analyzer = await Analyzer.load();
  });

  it('covers every rule of the catalogue with at least one positive case', () => {
    const rules = new Set(cases.flatMap((c) => c.expected.map((e) => e.split(' ')[1])));
    for (const id of ['PAR001', 'PAR002', 'PAR003', 'PAR004', 'PAR005', 'PAR006', 'PAR007', 'PAR008', 'PAR009', 'PAR010', 'PAR011', 'PAR012', 'PAR020', 'PAR021', 'PAR022', 'PAR023', 'PAR030']) {
      assert.ok(rules.has(id), `no fixture expects ${id}`);
    }
  });

  for (const c of cases) {
    it(`${c.file}: reports exactly the expected findings`, () => {
      const result = analyzer.analyze(c.text, c.options);
      const actual = [...new Set(result.findings.map((f) => `${f.line} ${f.rule}`))].sort();
      const detail = result.findings.map((f) => `  ${f.line}:${f.column} ${f.rule} ${f.message}`).join('\n');
      assert.deepEqual(actual, c.expected, `findings in ${c.file}:\n${detail}`);
      if (c.note) assert.deepEqual(result.notes.map((n) => n.kind), [c.note]);
    });
  }
});
