import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../../src/cli/main';
import { recordingIO } from '../support/io';

const LAMBDA = 'import multiprocessing\n\n\ndef run(data):\n    with multiprocessing.Pool() as pool:\n        return pool.map(lambda x: x, data)\n';
const GUARD = 'import multiprocessing\n\n\ndef square(x):\n    return x * x\n\n\npool = multiprocessing.Pool(2)\n';
const HINT = 'from concurrent.futures import ThreadPoolExecutor\n\n\ndef crunch(n):\n    return sum(i * i for i in range(n))\n\n\ndef run():\n    with ThreadPoolExecutor() as ex:\n        ex.submit(crunch, 10)\n';
const CLEAN = 'import multiprocessing\n\n\ndef work(x):\n    return x\n';

describe('parascope check', () => {
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'parascope-check-'));
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('proj/bad.py', LAMBDA);
    write('proj/sub dir/guard.py', GUARD);
    write('proj/clean.py', CLEAN);
    write('proj/notes.txt', LAMBDA);
    write('proj/py2.py', 'print "hello"\n');
    write('proj/binary.py', 'x = 1\u0000\u0001');
    write('proj/.venv/lib/site.py', LAMBDA);
    write('proj/env2/pyvenv.cfg', 'home = /usr\n');
    write('proj/env2/lib/x.py', LAMBDA);
    write('proj/node_modules/pkg/x.py', LAMBDA);
    write('proj/__pycache__/x.py', LAMBDA);
    write('proj/.git/x.py', LAMBDA);
    symlinkSync(join(root, 'missing.py'), join(root, 'proj', 'broken.py'));
    write('hint/threads.py', HINT);
    write('clean/ok.py', CLEAN);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  async function check(...args: string[]) {
    const io = recordingIO(root);
    const code = await main(['check', ...args], io);
    return { code, out: io.stdout, err: io.stderr };
  }

  it('walks folders for *.py, skipping virtualenvs, caches, .git and node_modules, with one line per problem file', async () => {
    const { code, out } = await check('proj', '--start-method', 'spawn');
    assert.equal(code, 1);
    assert.equal(out, [
      'proj/bad.py:6:25: error PAR001 lambda passed to Pool.map cannot be pickled; define it with def at module level',
      'proj/binary.py: warning: skipped: not a text file (it contains NUL bytes).',
      'proj/broken.py: warning: skipped: cannot read it (ENOENT).',
      'proj/py2.py:1: note: skipped: this looks like Python 2 code (a print statement on line 1); Parascope checks Python 3 code only.',
      'proj/sub dir/guard.py:8:8: error PAR010 `multiprocessing.Pool(2)` starts worker processes when the module is imported; under spawn every child re-imports it and does it again — put it under `if __name__ == "__main__":`',
      '2 findings (2 errors) in 6 files checked.',
      '',
    ].join('\n'));
  });

  it('honours --start-method (no guard needed under fork)', async () => {
    const { code, out } = await check('proj/sub dir/guard.py', '--start-method', 'fork');
    assert.equal(code, 0);
    assert.equal(out, 'No findings in 1 file checked.\n');
  });

  it('honours --python-version (forkserver from 3.14 where fork was the default)', async () => {
    const spawnByDefault = process.platform === 'win32' || process.platform === 'darwin';
    assert.equal((await check('proj/sub dir/guard.py', '--python-version', '3.13')).code, spawnByDefault ? 1 : 0);
    assert.equal((await check('proj/sub dir/guard.py', '--python-version', '3.14')).code, 1);
  });

  it('exits 0 when only hints are found', async () => {
    const { code, out } = await check('hint');
    assert.equal(code, 0);
    assert.match(out, /^hint\/threads\.py:10:19: hint PAR030 `crunch` runs pure-Python CPU work/m);
    assert.match(out, /1 finding \(1 hint\) in 1 file checked\.\n$/);
  });

  it('exits 0 on clean code', async () => {
    assert.deepEqual(await check('clean'), { code: 0, out: 'No findings in 1 file checked.\n', err: '' });
  });

  it('writes the Check JSON of the product contract, notes on stderr', async () => {
    const { code, out, err } = await check('proj', '--format', 'json', '--start-method', 'fork');
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(out), [
      {
        rule: 'PAR001', severity: 'error', message: 'lambda passed to Pool.map cannot be pickled; define it with def at module level',
        file: 'proj/bad.py', line: 6, column: 25, endLine: 6, endColumn: 36,
      },
    ]);
    assert.match(err, /proj\/py2\.py:1: note: skipped: this looks like Python 2 code/);
  });

  it('writes SARIF 2.1.0 with the rule catalogue and relative locations', async () => {
    const { code, out } = await check('proj', '--format', 'sarif', '--start-method', 'spawn');
    assert.equal(code, 1);
    const sarif = JSON.parse(out);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'Parascope');
    assert.equal(run.tool.driver.rules.length, 17);
    assert.deepEqual(run.tool.driver.rules[0].defaultConfiguration, { level: 'error' });
    assert.equal(run.tool.driver.rules.find((r: { id: string }) => r.id === 'PAR030').defaultConfiguration.level, 'note');
    assert.equal(run.originalUriBaseIds.SRCROOT.uri, pathToFileURL(`${root}/`).href);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.deepEqual(run.results.map((r: { ruleId: string }) => r.ruleId), ['PAR001', 'PAR010']);
    const first = run.results[0];
    assert.equal(first.level, 'error');
    assert.equal(run.tool.driver.rules[first.ruleIndex].id, 'PAR001');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'proj/bad.py', uriBaseId: 'SRCROOT' },
      region: { startLine: 6, startColumn: 25, endLine: 6, endColumn: 36 },
    });
    assert.equal(run.results[1].locations[0].physicalLocation.artifactLocation.uri, 'proj/sub%20dir/guard.py');
    const notes = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    assert.equal(notes.length, 3);
  });

  it('checks a file named explicitly whatever its extension', async () => {
    const { code, out } = await check('proj/notes.txt');
    assert.equal(code, 1);
    assert.match(out, /^proj\/notes\.txt:6:25: error PAR001/);
  });

  it('exits 2 with a usage line on a missing path or a bad option', async () => {
    const missing = await check('nowhere');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file or folder: 'nowhere'/);
    assert.match(missing.err, /usage: parascope check/);
    assert.equal((await check('proj', '--format', 'xml')).code, 2);
    assert.equal((await check('proj', '--python-version', '2.7')).code, 2);
    assert.equal((await check()).code, 2);
  });
});
