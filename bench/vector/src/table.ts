// Prints the Markdown table of one or more results files: npm --prefix bench/vector run table -- results/x.json ...
import { readFileSync } from 'node:fs';
import { markdownTable, type RunFile } from './report.ts';

for (const f of process.argv.slice(2)) console.log(markdownTable(JSON.parse(readFileSync(f, 'utf8')) as RunFile) + '\n');
