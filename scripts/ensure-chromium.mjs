// Makes sure a Chromium exists for the e2e tests: Debian's package when we may use apt, else Playwright's download.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { findChromium } from './find-chromium.mjs';

function playwrightHasOwn() {
  try {
    return existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

if (findChromium() || playwrightHasOwn()) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const run = (command) => execSync(command, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('No Chromium found: installing Debian chromium with apt-get.');
  run('apt-get update -qq && apt-get install -y -qq chromium');
} else {
  console.log('No Chromium found: downloading Playwright chromium (set CHROME_PATH to use one you have).');
  run('npx playwright install chromium');
}
