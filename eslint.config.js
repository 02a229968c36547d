import js from '@eslint/js'
import tseslint from 'typescript-eslint'

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
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
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
              group: ['node:*', 'fs', 'http', 'https', 'net', 'stream', 'buffer', 'events'],
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
