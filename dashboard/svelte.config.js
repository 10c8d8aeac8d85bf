// SvelteKit configuration for the dashboard. Server code reaches the shared modules outside
// dashboard/ through the $warehouse, $config, $contracts and $jobs aliases; Vite bundles them into the server build.
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    // Content-Security-Policy for every page (docs/security.md). SvelteKit adds a nonce for its own
    // inline start-up script; styles allow 'unsafe-inline' because ECharts and Svelte set style
    // attributes. Other responses get a stricter policy in $lib/server/security/headers.ts.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
    alias: {
      $warehouse: '../warehouse',
      $config: '../config',
      $contracts: '../contracts',
      $jobs: '../jobs',
    },
  },
};

export default config;
