import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Node's built-in modules, with and without the `node:` prefix. */
const NODE_BUILTINS = [
  'node:*',
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'stream',
  'timers',
  'url',
  'util',
  'worker_threads',
  'zlib',
]

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the types of the tsconfig that includes it.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      // `void promise` marks a deliberate fire-and-forget; everything else is awaited or handled.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': 'error',
      // Rethrowing what a catch or an AbortSignal handed over (typed `unknown`) is fine.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // An `async` method without `await` is how an async interface is implemented
      // synchronously (fakes in tests, subjects in bench/); the promise rules above and
      // await-thenable catch the mistakes this rule is after.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Everything but the renderer runs on Node (the client's portable part is kept free of
    // Node by no-restricted-imports below; TypeScript itself checks which globals exist).
    ignores: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Plain JavaScript (scripts, configs) and declaration stubs belong to no tsconfig.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The renderer runs sandboxed: no Node, no Electron, nothing from the main process.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'The renderer must not import Node modules.' },
            {
              group: ['electron', 'electron/*'],
              message: 'The renderer must not import Electron.',
            },
            {
              group: ['**/src-main', '**/src-main/**'],
              message: 'The renderer talks to main only through the bridge (src-shared/contract).',
            },
          ],
        },
      ],
    },
  },
  {
    // Main-side code that also runs outside Electron (web host, CLI, tests) must not need it.
    files: [
      'src-main/domains/**/*.ts',
      'src-main/core/**/*.ts',
      'src-main/testing/**/*.ts',
      'src-main/web/**/*.ts',
      'src-main/cli/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message:
                'Only src-main/electron, src-main/preload and src-main/index.ts may import Electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // The publishable client must stay free of Node, Electron, React and app imports
    // (except its Node entry, node.ts + node-engine.ts + node-response.ts: node:http is their point).
    files: ['src-shared/client/**/*.ts'],
    ignores: [
      'src-shared/client/**/*.test.ts',
      'src-shared/client/node.ts',
      'src-shared/client/node-engine.ts',
      'src-shared/client/node-response.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: NODE_BUILTINS,
              message: 'The client must not import Node-only modules.',
            },
            {
              group: ['electron', 'react', 'react-dom', 'zustand'],
              message: 'The client must not import app frameworks.',
            },
            {
              group: ['../*', '!./*'],
              message: 'The client must not import from the rest of the app.',
            },
          ],
        },
      ],
    },
  },
)
