/**
 * Writes the recorded fixtures the browser tests read:
 *   npm run build && node out/test/webview/support/writeFixtures.js
 * (Regenerate only on purpose: the tests assert on what these files hold.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpuSweep, lambdaSweep, processReport, threadReport } from './synthetic';

const dir = resolve('test', 'fixtures', 'reports');
mkdirSync(dir, { recursive: true });
const files: [string, unknown][] = [
  ['process-2.json', processReport()],
  ['thread-2-gil.json', threadReport()],
  ['sweep-cpu.json', cpuSweep()],
  ['sweep-lambda.json', lambdaSweep()],
];
for (const [name, value] of files) {
  writeFileSync(join(dir, name), `${JSON.stringify(value)}\n`);
  console.log(`wrote ${join('test', 'fixtures', 'reports', name)}`);
}
