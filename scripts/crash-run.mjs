// The long crash run: e2e/crash.spec.ts with many kill points per mode (default 100 each, 200 in all), then a
// summary of what was acknowledged, killed and checked. Usage: node scripts/crash-run.mjs [pointsPerMode] [seed]
// Needs the e2e dev server (playwright.config.ts starts or reuses it). Reports land in reports/crash-run.*.json.
// The browser profiles live under reports/, not test-results/, which any other Playwright run empties at its start
// (that deleted a profile under a running browser once, and looked like lost data).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const points = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? Date.now() % 100_000);
const report = 'reports/crash-run';
mkdirSync('reports', { recursive: true });

const started = Date.now();
const run = spawnSync(
  'npx',
  ['playwright', 'test', 'e2e/crash.spec.ts', '--workers=1', '--reporter=line', '--output=reports/crash-run-output'],
  {
    stdio: 'inherit',
    env: { ...process.env, CRASH_POINTS: String(points), CRASH_SEED: String(seed), CRASH_REPORT: report },
  },
);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

let failures = 0;
for (const mode of ['worker', 'hnsw']) {
  let summary;
  try {
    summary = JSON.parse(readFileSync(`${report}.${mode}.json`, 'utf8'));
  } catch {
    console.log(`${mode}: no report (the run stopped before the end)`);
    failures++;
    continue;
  }
  failures += summary.failures.length;
  console.log(
    `${mode}: ${summary.killPoints} kill points (renderer ${summary.kills.renderer}, browser ${summary.kills.browser}), ` +
      `${summary.batchesAcknowledged} batches acknowledged, ${summary.forgetsAcknowledged} forgets acknowledged ` +
      `(${summary.forgetsInterrupted} interrupted), ${summary.consolidations} consolidation passes, ` +
      `${summary.finalRecords} records at the end, largest index ${summary.largestIndex.index} of ${summary.largestIndex.count}` +
      (summary.largestIndex.unreachable === undefined ? '' : ` (${summary.largestIndex.unreachable} unreachable)`) +
      `; ${summary.failures.length} failures`,
  );
  for (const failure of summary.failures) console.log(`  ${failure}`);
}
console.log(`seed ${seed}, ${minutes} min, exit ${run.status}`);
process.exit(failures === 0 && run.status === 0 ? 0 : 1);
