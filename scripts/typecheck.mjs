// Type-checks each part of the repo with its own `lib`, so the core cannot reach the DOM and workers cannot reach the page.
import { execFileSync } from 'node:child_process';

const parts = ['tsconfig.core.json', 'tsconfig.worker.json', 'tsconfig.page.json', 'tsconfig.json'];
let failed = 0;
for (const project of parts) {
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });
    console.log(`typecheck ${project}: ok`);
  } catch {
    failed++;
    console.error(`typecheck ${project}: FAILED`);
  }
}
process.exit(failed ? 1 : 0);
