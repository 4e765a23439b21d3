// Where the Chromium for browser tests is: $CHROME_PATH, then Debian's /usr/bin/chromium, else Playwright's own.
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** An executable path, or undefined to let Playwright use the browser it installed itself. */
export function findChromium() {
  return CANDIDATES.find((path) => path && existsSync(path));
}

// Flags that keep Chromium from reaching for the network on a closed machine.
const OFFLINE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Playwright launch options for that Chromium, with the offline flags and any others (`--enable-unsafe-webgpu`). */
export function chromiumLaunchOptions(extraArgs = []) {
  const executablePath = findChromium();
  return { ...(executablePath && { executablePath }), args: [...OFFLINE_FLAGS, ...extraArgs] };
}
