// A Vite plugin serving README.md's usage example as the module `virtual:readme-example`, so a test runs it verbatim.

import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const ID = 'virtual:readme-example';
const MARKER = '<!-- readme-example: run by e2e/readme.spec.ts -->';

/** The first ```ts block after the marker comment. It must be plain JavaScript too: it is served untranspiled. */
export function extractExample(readme: string): string {
  const start = readme.indexOf(MARKER);
  if (start < 0) throw new Error(`README.md has no "${MARKER}" marker`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block?.[1]) throw new Error('README.md has no ```ts block after the example marker');
  return block[1];
}

export function readmeExample(readmePath: string): Plugin {
  return {
    name: 'mnemo-readme-example',
    resolveId: (id) => (id === ID ? `\0${ID}` : undefined),
    load(id) {
      if (id !== `\0${ID}`) return undefined;
      this.addWatchFile(readmePath);
      return extractExample(readFileSync(readmePath, 'utf8'));
    },
  };
}
