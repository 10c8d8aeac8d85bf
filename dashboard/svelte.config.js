// SvelteKit configuration for the dashboard. Server code reaches the shared modules outside
// dashboard/ through the $warehouse and $config aliases; Vite bundles them into the server build.
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    alias: {
      $warehouse: '../warehouse',
      $config: '../config',
      $contracts: '../contracts',
    },
  },
};

export default config;
