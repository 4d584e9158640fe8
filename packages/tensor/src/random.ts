import { tf } from '@nutshell/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import { NutshellError } from '@nutshell/backend';
import { ValueError } from './errors.js';
import { sizeOf } from './shape.js';

/** The complete state of an `Rng`: four 32-bit words. Save it to resume a random stream exactly. @public */
export type RngState = readonly [number, number, number, number];

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). It is pure JavaScript integer
 * arithmetic, so the same seed gives the same numbers, bit for bit, in every process and on every backend.
 * @public
 */
export class Rng {
  private s: Uint32Array;

  /**
   * Seeds the generator with any safe integer. Seeds in [0, 2^32) give the streams they always gave; other
   * integers (negative, or 2^32 and above) also mix in their high bits, so `2 ** 32` and `-1` are not aliases of
   * 0 and 2^32 − 1. A fractional, non-finite or unsafe seed (beyond ±2^53) is a `ValueError`: 1.5 would
   * otherwise give the stream of 1.
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new ValueError('Rng', undefined, `seed must be a safe integer, got ${String(seed)}`);
    }
    const low = ((seed % 4294967296) + 4294967296) % 4294967296;
    const high = Math.floor(seed / 4294967296);
    this.s = new Uint32Array(4);
    splitmix(low, 0x9e3779b9, this.s);
    if (high !== 0) {
      // A second splitmix stream from the high word, with another increment, folded into the first.
      const extra = new Uint32Array(4);
      splitmix(high >>> 0, 0x7f4a7c15, extra);
      for (let i = 0; i < 4; i++) this.s[i] = (this.s[i] ^ extra[i]) >>> 0;
    }
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** Rebuilds a generator from a saved state. */
  static fromState(state: RngState): Rng {
    if (!Array.isArray(state) || state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new NutshellError(`Rng.fromState: expected four unsigned 32-bit integers, got ${JSON.stringify(state)}.`);
    }
    const r = new Rng(0);
    r.s.set(state);
    return r;
  }

  /** The current state; `Rng.fromState(r.state())` continues the same stream. */
  state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** The next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A float in [0, 1) with 24 random bits (exactly representable in float32). */
  nextFloat(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new NutshellError(`Rng.nextInt: n must be a positive integer, got ${n}.`);
    // Rejection sampling removes the modulo bias.
    const limit = 0x100000000 - (0x100000000 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** A standard normal sample (Box–Muller). */
  nextNormal(): number {
    const u1 = (this.nextUint32() + 1) / 4294967297; // in (0, 1): log never sees 0
    const u2 = this.nextUint32() / 4294967296;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A new generator whose stream is independent of this one; advances this one by one step. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

// splitmix32: spreads one 32-bit seed over four words so that nearby seeds give unrelated streams.
function splitmix(seed: number, increment: number, out: Uint32Array): void {
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + increment) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    out[i] = (z ^ (z >>> 16)) >>> 0;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalRng = new Rng(0);

/**
 * Reseeds the generator used when a random function gets neither `seed` nor `rng`.
 * @public
 */
export function setSeed(seed: number): void {
  globalRng = new Rng(seed);
}

/** Where random numbers come from: a seed, a generator, or neither (the global generator). @public */
export interface RandomOptions {
  /** A seed for a fresh generator. */
  readonly seed?: number;
  /** A generator to draw from (advanced by the call). */
  readonly rng?: Rng;
}

function pick(opts?: RandomOptions): Rng {
  if (opts?.rng) return opts.rng;
  if (opts?.seed !== undefined) return new Rng(opts.seed);
  return globalRng;
}

function fill(shape: readonly number[], draw: () => number): Tensor {
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw();
  return tf.tensor(values, [...shape], 'float32');
}

/**
 * A float32 tensor of uniform samples in [min, max).
 * @public
 */
export function randomUniform(shape: readonly number[], opts: RandomOptions & { min?: number; max?: number } = {}): Tensor {
  const { min = 0, max = 1 } = opts;
  const rng = pick(opts);
  return fill(shape, () => min + (max - min) * rng.nextFloat());
}

/**
 * A float32 tensor of normal samples.
 * @public
 */
export function randomNormal(shape: readonly number[], opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = opts;
  const rng = pick(opts);
  return fill(shape, () => mean + std * rng.nextNormal());
}

/**
 * A float32 tensor of normal samples redrawn until within two standard deviations of the mean.
 * @public
 */
export function truncatedNormal(shape: readonly number[], opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = opts;
  const rng = pick(opts);
  return fill(shape, () => {
    let z: number;
    do z = rng.nextNormal();
    while (Math.abs(z) > 2);
    return mean + std * z;
  });
}

/**
 * Shuffles an array in place (Fisher–Yates) and returns it.
 * @public
 */
export function shuffle<T>(array: T[], opts?: RandomOptions): T[] {
  const rng = pick(opts);
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/**
 * A random permutation of 0 … n−1.
 * @public
 */
export function permutation(n: number, opts?: RandomOptions): Int32Array {
  const rng = pick(opts);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}
