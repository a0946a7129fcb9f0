import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no HTTP client, no SDK parts that do
// I/O. Import activities with `import type` only.
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_')).flatMap((name) => [name, `node:${name}`]);
const forbiddenInWorkflows = [
  ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
  ...['ky', '@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'].map((name) => ({
    name,
    message: 'Workflow code does no I/O; call an activity instead.',
  })),
];

const testkitOutOfProduct = { group: ['**/testkit/**'], message: 'The testkit serves tests and the benchmark, not the product.' };

export default tseslint.config(
  { ignores: ['node_modules/', '.temporal/', '.data/', 'coverage/', 'dist/', '.cluster/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/**/*.ts', 'activities/**/*.ts'],
    ignores: ['src/testkit/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [testkitOutOfProduct] }] },
  },
  {
    // Workflow code and the vocabulary it shares with callers (src/transfer/) run in Temporal's sandbox.
    files: ['workflows/**/*.ts', 'src/transfer/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenInWorkflows,
          patterns: [{ group: ['**/activities/*', '!**/activities/index.js'], message: 'Import activities by type from activities/index.js.' }, testkitOutOfProduct],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflow code must not read the environment.' }, { name: 'fetch', message: 'Workflow code does no I/O.' }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/activities/**'], allowTypeImports: true, message: 'Import activities with `import type` only.' },
            // Of the rest of src/, workflow code may take types only: its values may do I/O or be nondeterministic.
            {
              regex: String.raw`^\.\./(src/(?!transfer/)|(?!src/|transfer/|activities/)[^./][^/]*/)`,
              allowTypeImports: true,
              message: 'Workflow code imports values only from src/transfer/; other modules by type.',
            },
          ],
        },
      ],
    },
  },
  {
    // The tests and the benchmark share the testkit (src/testkit/), not each other's code; product code uses neither.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/bench/**'], allowTypeImports: true, message: 'Tests share code with the benchmark through src/testkit/ (the JSON it writes may be read by type).' }] },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/test/**'], message: 'The benchmark shares code with the tests through src/testkit/.' }] }] },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
