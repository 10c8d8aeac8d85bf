// Vite configuration for the dashboard; the app itself is configured in svelte.config.js.
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  build: {
    // ECharts (about 500 kB minified, 150 kB compressed) is its own chunk, loaded after first paint.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // The dev server must be allowed to read the shared modules one level up.
    fs: { allow: ['..'] },
  },
});
