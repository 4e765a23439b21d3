// Node runner: one child process per adapter, one at a time.
// npm --prefix bench/vector run node -- --n 10000 --dataset clustered [--only a,b] [--skip a,b]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapters } from './adapters/registry.ts';
import { parseArgs, specOf, wanted } from './args.ts';
import type { AdapterResult } from './bench.ts';
import { BENCH_DIR, ensureDataset, nodeHost, RESULTS_DIR } from './node-host.ts';
import { markdownTable, saveRun, type RunFile } from './report.ts';

const args = parseArgs(process.argv.slice(2));
const date = new Date().toISOString().slice(0, 10);
mkdirSync(RESULTS_DIR, { recursive: true });
const ORDER = adapters(nodeHost).map((e) => e.name);
const names = adapters(nodeHost)
  .filter((e) => e.env !== 'browser')
  .map((e) => e.name)
  .filter((n) => wanted(args, n));

function runChild(payload: object, outFile: string, timeoutMs: number): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=8192',
        '--import',
        'tsx',
        join(BENCH_DIR, 'src', 'node-child.ts'),
        JSON.stringify(payload),
        outFile,
      ],
      {
        cwd: BENCH_DIR,
        stdio: 'inherit',
      },
    );
    let timedOut = false;
    const t = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, timedOut });
    });
  });
}

for (const dsName of args.datasets) {
  const spec = specOf(args, dsName);
  console.log(`\n== node · ${dsName} · n=${spec.n}`);
  ensureDataset(spec, (s) => console.log(s));
  const results: AdapterResult[] = [];
  for (const name of names) {
    const out = join(tmpdir(), `bench-vector-${process.pid}-${name}.json`);
    rmSync(out, { force: true });
    console.log(`- ${name}`);
    const timeoutMs = args.timeoutMin * 60_000;
    const { code, timedOut } = await runChild(
      { spec, adapter: name, M: args.M, efConstruction: args.efConstruction, seed: args.seed, sweepBudgetMs: timeoutMs * 0.4 },
      out,
      timeoutMs,
    );
    let r: AdapterResult;
    try {
      r = JSON.parse(readFileSync(out, 'utf8')) as AdapterResult;
    } catch {
      r = timedOut
        ? { name, kind: 'exact', params: '', status: 'timeout', reason: `exceeded ${args.timeoutMin} min` }
        : { name, kind: 'exact', params: '', status: 'failed', reason: `child exited with code ${code}` };
    }
    if (r.status !== 'ok') console.log(`  ${name}: ${r.status}: ${r.reason}`);
    results.push(r);
    rmSync(out, { force: true });
  }
  const run: RunFile = {
    env: 'node',
    date: new Date().toISOString(),
    dataset: spec,
    build: { M: args.M, efConstruction: args.efConstruction, seed: args.seed },
    host: { node: process.version, cpu: cpus()[0]?.model ?? null, cores: cpus().length, platform: process.platform },
    memoryMethod: 'Node process RSS delta across build, after gc (heap/external/arrayBuffers deltas in the JSON)',
    results,
  };
  const file = join(RESULTS_DIR, `${date}-node-${dsName}-${spec.n}.json`);
  const md = markdownTable(saveRun(file, run, ORDER));
  console.log('\n' + md + `\n\n(wrote ${file})`);
}
