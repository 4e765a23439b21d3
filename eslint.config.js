// ESLint: type-aware rules for all TypeScript, plus the one-way data flow between the parts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'reports/', 'bench/vector/', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // An async method turns a throw into a rejection; stores implement a Promise interface that way on purpose.
      '@typescript-eslint/require-await': 'off',
      // TypeScript itself resolves names, with the right lib for each part.
      'no-undef': 'off',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // The core is pure: it must not reach an adapter, the wire, the SDK or a worker.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '../adapters/*',
            '../host/*',
            '../protocol/*',
            '../sdk/*',
            '**/workers/*',
            'idb',
            'comlink',
            '@huggingface/*',
            'onnxruntime-*',
          ],
        },
      ],
    },
  },
  {
    // The SDK talks to the worker only through the wire: types from the host side, never its code.
    files: ['src/sdk/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../host/*', '../adapters/*', '**/workers/*'] }] },
  },
  {
    // Config files are the one place a default export is the tool's convention.
    files: ['*.config.ts', 'bench/*.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
