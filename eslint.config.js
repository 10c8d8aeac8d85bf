// Lint rules for the TypeScript code (Svelte files are checked by svelte-check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', '.data/', 'dashboard/.svelte-kit/', 'dashboard/build/', 'test-artifacts/', '**/*.svelte'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortSignal: 'readonly', AbortController: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', Intl: 'readonly', structuredClone: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly', window: 'readonly', document: 'readonly', navigator: 'readonly', __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read the environment only in config/env.ts (loadConfig)' }],
    },
  },
  {
    // Where reading the environment is the point: the config module, tests, benchmarks, the CLI entry.
    files: ['config/env.ts', 'tests/**', 'bench/**', 'bin/**', '**/bench*.ts', 'dashboard/start-dashboard.ts', 'warehouse/local-clickhouse.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
