// Re-exports for wasm.test.ts, plus the smaller case list it runs (wasm tests share the 60 s budget).
export * from '../index.js';
import { randomCases } from './checks.js';

export function randomCasesForWasm() {
  return randomCases(12, 2025);
}
