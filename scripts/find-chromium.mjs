// Where the Chromium for browser tests is: $CHROME_PATH, then Debian's /usr/bin/chromium, else Playwright's own.
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** An executable path, or undefined to let Playwright use the browser it installed itself. */
export function findChromium() {
  return CANDIDATES.find((path) => path && existsSync(path));
}
