#!/usr/bin/env node
// `npm run bench`: every benchmark under bench/, one after another (they measure the machine,
// so never in parallel). Each prints its own figures as ratios measured side by side in one run.
//   node bench/run-all.mjs                 all
//   node bench/run-all.mjs analyzer        only these
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const wanted = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((name) => statSync(join('bench', name)).isDirectory())
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
let failed = 0;
for (const name of benches) {
  const node = join('bench', name, 'run.mjs');
  const python = join('bench', name, 'run.py');
  const [command, args] = existsSync(node) ? [process.execPath, [node]] : existsSync(python) ? ['python3', [python]] : [null, []];
  if (!command) {
    console.error(`bench/${name}: no run.mjs or run.py`);
    failed += 1;
    continue;
  }
  console.log(`\n════ bench/${name} ════`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
