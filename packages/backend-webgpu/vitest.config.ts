import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The package's `#runtime` import points at dist/; tests run the source.
    alias: { '#runtime': fileURLToPath(new URL('./src/node/runtime.ts', import.meta.url)) },
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
