// Node then Chromium, both datasets, one process at a time: npm --prefix bench/vector run all [-- --n 100000]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR } from './node-host.ts';

const extra = process.argv.slice(2);
const start = Date.now();
for (const script of ['node-runner.ts', 'browser-runner.ts']) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'src', script), ...extra], {
    stdio: 'inherit',
    cwd: BENCH_DIR,
  });
  if (r.status !== 0) {
    console.error(`${script} exited with ${r.status}`);
    process.exit(r.status ?? 1);
  }
}
console.log(`all done in ${((Date.now() - start) / 60000).toFixed(1)} min`);
