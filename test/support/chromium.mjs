// Locates Debian's chromium for the browser tiers. Under CI=true as root it is installed when
// missing; otherwise a missing browser fails the tier with the exact command to install it.
// A browser tier never passes by skipping.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';

export function chromiumPath() {
  const override = process.env.PARASCOPE_CHROMIUM;
  if (override) {
    if (existsSync(override)) return override;
    throw new Error(`PARASCOPE_CHROMIUM points at ${override}, which does not exist.`);
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env.CI === 'true' && root) {
    console.log('chromium is missing: installing Debian\'s chromium (CI=true, running as root)…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const installed = CANDIDATES.find((path) => existsSync(path));
    if (installed) return installed;
  }
  throw new Error(`The browser tests need chromium, which is not installed. Install it with:\n  ${INSTALL_COMMAND}`);
}

/** Launch options for playwright-core: headless, no sandbox (root), nothing reaching the network.
 * playwright gives every launch a fresh temporary profile. */
export function launchOptions() {
  return {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  };
}
