import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserFacingError } from '../../../src/core/errors';
import { clearInterpreterCache, resolveInterpreter } from '../../../src/core/python/interpreter';
import { parseProbeOutput } from '../../../src/core/python/probe';

type Found = { executable: string; version: string };
// The plain-ESM helper the tiers and benchmarks share (resolved from the repository root).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findInterpreters, findPython2 } = require(resolve('test/support/python.mjs')) as {
  findInterpreters(): Found[];
  findPython2(): string | undefined;
};

async function rejection(promise: Promise<unknown>): Promise<UserFacingError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UserFacingError, `expected a UserFacingError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the interpreter to be rejected');
}

describe('interpreter probe output', () => {
  it('reads Python 3 answers, Python 2 first lines and anything else', () => {
    const ok = parseProbeOutput('PARASCOPE_PROBE 3 12 1\n{"executable": "/p", "version": "3.12.1", "implementation": "CPython", "gilEnabled": false, "freeThreaded": true, "defaultStartMethod": "forkserver", "affinityCpus": 4, "cpuCount": 8, "platform": "linux"}\n');
    assert.equal(ok.kind, 'ok');
    if (ok.kind !== 'ok') return;
    assert.deepEqual(ok.versionInfo, [3, 12, 1]);
    assert.equal(ok.info.gilEnabled, false);
    assert.equal(ok.info.freeThreaded, true);
    assert.equal(ok.info.defaultStartMethod, 'forkserver');
    assert.equal(ok.info.affinityCpus, 4);
    assert.deepEqual(parseProbeOutput('PARASCOPE_PROBE 2 7 18\n'), { kind: 'version-only', versionInfo: [2, 7, 18] });
    assert.deepEqual(parseProbeOutput('-c import sys\n'), { kind: 'not-python' });
  });
});

describe('resolving the interpreter (real pythons)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'parascope-interp-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => clearInterpreterCache());

  it('finds python3 on the PATH and reports version, implementation, GIL, start method and CPUs', async () => {
    const python = await resolveInterpreter(null);
    assert.equal(python.requested, 'python3');
    assert.equal(python.implementation, 'CPython');
    assert.match(python.version, /^3\.\d+\.\d+$/);
    assert.ok(python.versionInfo[0] === 3 && python.versionInfo[1] >= 8);
    assert.equal(typeof python.gilEnabled, 'boolean');
    assert.equal(typeof python.freeThreaded, 'boolean');
    assert.ok(['fork', 'spawn', 'forkserver'].includes(python.defaultStartMethod as string));
    assert.ok(python.affinityCpus !== null && python.affinityCpus >= 1);
    assert.ok(python.command.length > 0);
  });

  it('probes once per executable (cached by path and mtime)', async () => {
    const [a, b] = [resolveInterpreter(null), resolveInterpreter('python3')];
    assert.equal(await a, await b);
    assert.equal(await resolveInterpreter(null), await a);
  });

  it('accepts every CPython ≥ 3.8 on the machine by explicit path', async () => {
    const found = findInterpreters();
    assert.ok(found.length > 0);
    for (const interpreter of found) {
      const python = await resolveInterpreter(interpreter.executable);
      assert.equal(python.version, interpreter.version);
    }
  });

  it('rejects Python 2 with a message naming the version and the minimum', async function () {
    const python2 = findPython2();
    if (!python2) throw new Error('this machine has no Python 2 (pyenv install 2.7.18)');
    const error = await rejection(resolveInterpreter(python2));
    assert.match(error.message, /is Python 2\.7\.\d+; Parascope needs Python 3\.8 or later/);
    assert.ok(error.message.includes(python2));
    assert.match(error.hint ?? '', /--python/);
  });

  it('rejects Python 3.6 and 3.7 as too old', async () => {
    for (const version of ['3.6.15', '3.7.16']) {
      const path = join(process.env.HOME ?? '/root', '.pyenv', 'versions', version, 'bin', 'python3');
      const error = await rejection(resolveInterpreter(path));
      assert.match(error.message, new RegExp(`is Python ${version.replace(/\./g, '\\.')}; Parascope needs Python 3\\.8`));
    }
  });

  it('says a missing path does not exist, and names it', async () => {
    const error = await rejection(resolveInterpreter('/nonexistent/bin/python3'));
    assert.equal(error.message, 'Python interpreter not found: /nonexistent/bin/python3 does not exist.');
  });

  it('says nothing was found on the PATH, naming what was tried', async () => {
    const error = await rejection(resolveInterpreter('python3', { env: { PATH: dir } }));
    assert.match(error.message, /^No Python interpreter found: tried 'python3' on the PATH \(1 folder\)\.$/);
    assert.match(error.hint ?? '', /Install Python 3\.8 or later/);
  });

  it('rejects a file that is not executable, a folder, and a program that is not Python', async () => {
    const plain = join(dir, 'python-not-executable');
    writeFileSync(plain, 'not a program');
    assert.match((await rejection(resolveInterpreter(plain))).message, /is not executable/);

    const venv = join(dir, 'venv');
    mkdirSync(join(venv, 'bin'), { recursive: true });
    writeFileSync(join(venv, 'bin', 'python3'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(venv, 'bin', 'python3'), 0o755);
    const folder = await rejection(resolveInterpreter(venv));
    assert.match(folder.message, /is a folder, not a Python interpreter/);
    assert.match(folder.hint ?? '', /Did you mean .*venv\/bin\/python3\?/);

    const error = await rejection(resolveInterpreter('/bin/echo'));
    assert.match(error.message, /^\/bin\/echo does not look like a Python interpreter: running it with -c printed "-c import sys/);
  });

  it('resolves relative paths against the working folder, spaces and non-ASCII included', async () => {
    const nested = join(dir, 'dossier é', 'my python');
    mkdirSync(nested, { recursive: true });
    const link = join(nested, 'py thön');
    writeFileSync(link, `#!/bin/sh\nexec python3 "$@"\n`);
    chmodSync(link, 0o755);
    const python = await resolveInterpreter('./my python/py thön', { cwd: join(dir, 'dossier é') });
    assert.equal(python.path, link);
    assert.match(python.version, /^3\./);
  });
});
