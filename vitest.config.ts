// Three suites kept apart: unit (no servers), integration (a real ClickHouse the suite starts itself)
// and browser (the built dashboard in headless Chromium over a simulated company).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The dashboard's SvelteKit aliases (dashboard/svelte.config.js), so tests can call its server loaders.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const resolve = {
  alias: {
    $lib: here('./dashboard/src/lib'),
    $warehouse: here('./warehouse'),
    $config: here('./config'),
    $contracts: here('./contracts'),
    $jobs: here('./jobs'),
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // 2 cores: a few files at once keeps ClickHouse responsive.
          maxWorkers: 2,
        },
      },
      {
        resolve,
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One Chromium at a time: on 2 cores parallel browsers only make every page slower.
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
