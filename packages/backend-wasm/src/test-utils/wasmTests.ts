// What the kernel tests share: running a test file on 'wasm', and seeded inputs.
import { afterAll, beforeAll } from 'vitest';
import { useBackend } from '@nutshell/backend';
import '../index.js';

/** Runs the calling test file's tests on 'wasm', and puts 'cpu' back after them. */
export function onWasm(): void {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterAll(async () => {
    await useBackend('cpu');
  });
}

/**
 * `n` numbers in [0, 1) from a fixed linear congruential sequence: the same seed gives the same numbers. Each test
 * maps them to the inputs it needs (centred, integer, spread over magnitudes).
 */
export function uniforms(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
}
