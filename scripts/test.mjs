// The whole test suite: typecheck, lint, unit tests in Node, end-to-end tests in Chromium; one summary line at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

// Not test-results/: Playwright empties that folder when it starts.
const results = 'reports';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function step(name, command, args) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  console.log(
    `=== ${name}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return status === 0;
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

const checks = {
  typecheck: step('typecheck', 'node', ['scripts/typecheck.mjs']),
  lint: step('lint', 'npm', ['run', '--silent', 'lint']),
};
const unitOk = step('unit', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${results}/unit.json`,
]);
const browserOk = step('chromium', 'node', ['scripts/ensure-chromium.mjs']);
const e2eOk = browserOk && step('e2e', 'npx', ['playwright', 'test']);
// The offline app against its production build (one build, vite preview, service worker): playwright.app.config.ts.
const appOk = browserOk && step('app e2e', 'npx', ['playwright', 'test', '--config', 'playwright.app.config.ts']);

const unit = readJson(`${results}/unit.json`);
const e2e = readJson(`${results}/e2e.json`);
const app = readJson(`${results}/app-e2e.json`);
const counts = {
  unit: { passed: unit?.numPassedTests ?? 0, failed: unit?.numFailedTests ?? 0, skipped: unit?.numPendingTests ?? 0 },
  e2e: {
    passed: (e2e?.stats.expected ?? 0) + (app?.stats.expected ?? 0),
    failed: (e2e?.stats.unexpected ?? 0) + (e2e?.stats.flaky ?? 0) + (app?.stats.unexpected ?? 0) + (app?.stats.flaky ?? 0),
    skipped: (e2e?.stats.skipped ?? 0) + (app?.stats.skipped ?? 0),
  },
};
// A runner that crashed before writing its report counts as one failure, so the summary never hides it.
if (!unitOk && counts.unit.failed === 0) counts.unit.failed = 1;
if ((!e2eOk || !appOk) && counts.e2e.failed === 0) counts.e2e.failed = 1;
const failedChecks = Object.entries(checks)
  .filter(([, ok]) => !ok)
  .map(([name]) => name);

console.log('');
console.log(`unit: ${counts.unit.passed} passed, ${counts.unit.failed} failed, ${counts.unit.skipped} skipped`);
console.log(`e2e: ${counts.e2e.passed} passed, ${counts.e2e.failed} failed, ${counts.e2e.skipped} skipped`);
console.log(`checks: ${failedChecks.length ? `FAILED ${failedChecks.join(', ')}` : 'typecheck and lint ok'}`);
const passed = counts.unit.passed + counts.e2e.passed;
const failed = counts.unit.failed + counts.e2e.failed + failedChecks.length;
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
