import { defineConfig } from 'vitest/config';

// The end-to-end tests spawn the CLI and train small models: give them time, run the files one at a time.
export default defineConfig({ test: { testTimeout: 120_000, fileParallelism: false } });
