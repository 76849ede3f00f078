// Live processes whose command line mentions a string (zombies excluded), read from procfs.
// Shared by the host suites (in the extension host) and the host-tier runner: both check that
// stopping a run leaves nothing of its process tree behind. CommonJS so either side can load it.
const { readdirSync, readFileSync } = require('node:fs');

function processesMentioning(needle) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(needle) && state !== 'Z') found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

module.exports = { processesMentioning };
