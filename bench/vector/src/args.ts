import type { DatasetName, DatasetSpec } from './dataset.ts';

export interface Args {
  n: number;
  datasets: DatasetName[];
  only: string[] | null;
  skip: string[];
  queries: number;
  dims: number;
  seed: number;
  M: number;
  efConstruction: number;
  timeoutMin: number;
}

export function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const n = Number(get('n') ?? 10000);
  const ds = get('dataset') ?? 'all';
  return {
    n,
    datasets: ds === 'all' ? ['clustered', 'anisotropic'] : (ds.split(',') as DatasetName[]),
    only: get('only')?.split(',') ?? null,
    skip: get('skip')?.split(',') ?? [],
    queries: Number(get('queries') ?? 1000),
    dims: Number(get('dims') ?? 384),
    seed: Number(get('seed') ?? 42),
    M: Number(get('M') ?? 16),
    efConstruction: Number(get('efConstruction') ?? 200),
    timeoutMin: Number(get('timeout-min') ?? (n > 20000 ? 10 : 5)),
  };
}

export function specOf(a: Args, name: DatasetName): DatasetSpec {
  return { name, n: a.n, dims: a.dims, queries: a.queries, seed: a.seed, k: 10 };
}

export function wanted(a: Args, name: string): boolean {
  return (a.only === null || a.only.includes(name)) && !a.skip.includes(name);
}
