import * as assert from 'node:assert/strict';
import { parseCheck, parseRun, parseSweep, UsageError } from '../../../src/cli/args';
import { main } from '../../../src/cli/main';
import { recordingIO } from '../support/io';

function usageError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof UsageError && pattern.test(error.message));
}

describe('CLI arguments', () => {
  describe('run', () => {
    it('parses every option and keeps the script arguments after --', () => {
      const options = parseRun(['my script.py', '--pool', 'process', '--workers', '4', '--start-method', 'spawn', '--chunksize', '8',
        '--python', '/usr/bin/python3', '--interval-ms', '200', '--json', 'r.json', '--html', 'r.html', '--trace', 't.json',
        '--', '--pool', 'x', 'ünï']);
      assert.deepEqual(options, {
        script: 'my script.py', scriptArgs: ['--pool', 'x', 'ünï'], pool: 'process', workers: 4, startMethod: 'spawn', chunksize: 8,
        python: '/usr/bin/python3', intervalMs: 200, json: 'r.json', html: 'r.html', trace: 't.json',
      });
    });

    it('defaults to the code as it is, sampled at 10 Hz', () => {
      const options = parseRun(['a.py']);
      assert.equal(options.pool, 'asis');
      assert.equal(options.workers, null);
      assert.equal(options.intervalMs, 100);
    });

    it('rejects bad values with a sentence naming the flag', () => {
      usageError(() => parseRun([]), /missing SCRIPT/);
      usageError(() => parseRun(['a.py', '--pool', 'gpu']), /--pool must be one of asis, serial, thread, process, interpreter/);
      usageError(() => parseRun(['a.py', '--workers', '0']), /--workers must be a whole number from 1/);
      usageError(() => parseRun(['a.py', '--workers', 'two']), /--workers/);
      usageError(() => parseRun(['a.py', '--interval-ms', '10']), /--interval-ms must be a whole number from 100/);
      usageError(() => parseRun(['a.py', '--start-method', 'clone']), /--start-method must be one of fork, spawn, forkserver/);
      usageError(() => parseRun(['a.py', 'b.py']), /unexpected argument 'b.py'/);
      usageError(() => parseRun(['a.py', '--bogus']), /Unknown option '--bogus'/);
    });
  });

  describe('sweep', () => {
    it('parses lists, sorts and deduplicates worker counts', () => {
      const options = parseSweep(['w.py', '--workers', '4,1,2,2', '--pools', 'thread,process', '--repeat', '5', '--', 'arg']);
      assert.deepEqual(options.workers, [1, 2, 4]);
      assert.deepEqual(options.pools, ['thread', 'process']);
      assert.equal(options.repeat, 5);
      assert.deepEqual(options.scriptArgs, ['arg']);
    });

    it('leaves workers and pools to the planner when absent, and repeats three times', () => {
      const options = parseSweep(['w.py']);
      assert.equal(options.workers, null);
      assert.equal(options.pools, null);
      assert.equal(options.repeat, 3);
    });

    it('rejects malformed lists', () => {
      usageError(() => parseSweep(['w.py', '--workers', '1,,2']), /comma-separated/);
      usageError(() => parseSweep(['w.py', '--pools', 'thread,gpu']), /--pools must be one of/);
      usageError(() => parseSweep(['w.py', '--pools', 'asis']), /--pools must be one of serial, thread, process, interpreter/);
    });
  });

  describe('check', () => {
    it('takes several paths and the assumed start method and Python version', () => {
      const options = parseCheck(['a.py', 'src', '--format', 'sarif', '--start-method', 'spawn', '--python-version', '3.14']);
      assert.deepEqual(options, { paths: ['a.py', 'src'], format: 'sarif', startMethod: 'spawn', pythonVersion: '3.14' });
    });

    it('rejects a missing path, an unknown format and a malformed version', () => {
      usageError(() => parseCheck([]), /missing PATH/);
      usageError(() => parseCheck(['a.py', '--format', 'xml']), /--format must be one of text, json, sarif/);
      usageError(() => parseCheck(['a.py', '--python-version', '2.7']), /--python-version must look like 3.12/);
    });
  });

  describe('main', () => {
    it('exits 2 with the command’s usage line on bad usage', async () => {
      const io = recordingIO();
      assert.equal(await main(['check', '--bogus'], io), 2);
      assert.match(io.stderr, /^parascope check: Unknown option '--bogus'/);
      assert.match(io.stderr, /usage: parascope check PATH…/);
      assert.equal(io.stdout, '');
    });

    it('exits 2 on an unknown command and lists the commands', async () => {
      const io = recordingIO();
      assert.equal(await main(['profile', 'x.py'], io), 2);
      assert.match(io.stderr, /unknown command 'profile' \(expected run, sweep or check\)/);
    });

    it('prints help listing run, sweep and check', async () => {
      const io = recordingIO();
      assert.equal(await main(['--help'], io), 0);
      for (const command of ['run', 'sweep', 'check']) assert.match(io.stdout, new RegExp(`usage: parascope ${command} `));
    });

    it('prints one command\'s usage for `COMMAND --help` (exit 0), but passes a script\'s own --help through', async () => {
      for (const argv of [['run', '--help'], ['sweep', '--help'], ['check', '-h'], ['demo', '--help'], ['run', 'x.py', '--help']]) {
        const io = recordingIO();
        assert.equal(await main(argv, io), 0, argv.join(' '));
        assert.match(io.stdout, new RegExp(`^usage: parascope ${argv[0]} [^\\n]+\\n$`));
        assert.equal(io.stderr, '');
      }
      assert.deepEqual(parseRun(['x.py', '--', '--help']).scriptArgs, ['--help']);
    });
  });
});
