// Proves the per-part `lib` settings bite: core code cannot name the DOM, IndexedDB or Node; worker code cannot name the DOM.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Diagnostics of `source` compiled as if it were a file of the part that `project` checks. */
function diagnose(project: string, fileName: string, source: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, project),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error(`cannot read ${project}`);
  const path = join(root, fileName);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === path ? source : readFile(name));
  host.fileExists = (
    (exists) => (name: string) =>
      name === path || exists(name)
  )(host.fileExists.bind(host));
  const program = ts.createProgram([path], config.options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('part boundaries', () => {
  it('the core cannot touch the DOM, IndexedDB, workers or Node', () => {
    for (const name of ['document', 'window', 'indexedDB', 'self', 'process', 'Buffer', 'navigator']) {
      const messages = diagnose('tsconfig.core.json', 'src/core/__probe__.ts', `export const probe = ${name};\n`);
      expect(messages.join('\n'), name).toContain(`Cannot find name '${name}'`);
    }
  });

  it('the core compiles plain ES2022', () => {
    expect(diagnose('tsconfig.core.json', 'src/core/__probe__.ts', 'export const probe = new Map([[1, [2].at(-1)]]);\n')).toEqual(
      [],
    );
  });

  it('worker code cannot touch the DOM but has worker globals', () => {
    expect(
      diagnose('tsconfig.worker.json', 'workers/__probe__.ts', 'export const probe = document.title;\n').join('\n'),
    ).toContain("Cannot find name 'document'");
    expect(
      diagnose('tsconfig.worker.json', 'workers/__probe__.ts', 'export const probe = [indexedDB, self.postMessage];\n'),
    ).toEqual([]);
  });
});
