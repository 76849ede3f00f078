import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The built CLI, as a user runs it. */
function cli(...args: string[]) {
  return spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('dist/cli.js', () => {
  it('lists run, sweep and check in --help', () => {
    const result = cli('--help');
    assert.equal(result.status, 0);
    for (const command of ['run', 'sweep', 'check']) assert.match(result.stdout, new RegExp(`^  ${command} `, 'm'));
  });

  it('exits 2 on check --bogus with a usage line and no stack trace', () => {
    const result = cli('check', '--bogus');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: parascope check/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  it('prints its version from package.json', () => {
    const result = cli('--version');
    assert.equal(result.status, 0);
    assert.equal(result.stdout.trim(), JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
