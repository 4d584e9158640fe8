import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs, so the built app works from any folder or static host.
  base: './',
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // @nutshell/viz renders PNGs in Node with resvg; the page only draws SVG, so the native module stays out.
      external: ['@resvg/resvg-js'],
    },
  },
});
