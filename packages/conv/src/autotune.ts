import { Rng, tf, withoutGradientTape, type Tensor } from '@nutshell/tensor';
import { applicable, runAlgorithm } from './algorithms/run.js';
import { ConvArgumentError } from './errors.js';
import { CONV_ALGORITHMS, conv2dGeometry, type ConcreteConvAlgorithm, type Conv2DOptions, type ConvGeometry } from './geometry.js';

/**
 * What `algorithm: 'auto'` chose for one (shape, backend) and why.
 * @public
 */
export interface AutotuneDecision {
  /** The cache key: backend, shapes, strides, pads, dilations, groups, mode. */
  readonly key: string;
  /** The backend it was measured on. */
  readonly backend: string;
  /** The algorithm that will be used. */
  readonly algorithm: ConcreteConvAlgorithm;
  /** Median milliseconds per run of each candidate measured (forward, or forward + backward in 'training' mode). */
  readonly timings: Readonly<Partial<Record<ConcreteConvAlgorithm, number>>>;
  /**
   * Each candidate's time divided by direct's in the same round (median over rounds): the figure the choice is
   * made on, since it cancels load changes on a busy machine.
   */
  readonly relativeToDirect: Readonly<Partial<Record<ConcreteConvAlgorithm, number>>>;
  /** Runs of each candidate that the medians are taken over (the fastest candidates get the most). */
  readonly repetitions: Readonly<Partial<Record<ConcreteConvAlgorithm, number>>>;
  /** What was timed. */
  readonly mode: 'training' | 'inference';
  /** `'measured'` now, `'disk'` loaded from a cache file, `'fallback'`: could not be measured (the reason says why). */
  readonly source: 'measured' | 'disk' | 'fallback';
  /** In words. */
  readonly reason: string;
}

/**
 * How `'auto'` measures.
 * @public
 */
export interface AutotuneOptions {
  /** Time forward + backward (`'training'`, the default) or forward only (`'inference'`). */
  mode?: 'training' | 'inference';
  /** Rounds every surviving candidate is run at least (after one warm-up). Default 5. */
  minRepetitions?: number;
  /** Stop adding rounds once the measurement has taken this long (ms), after `minRepetitions`. Default 400. */
  budgetMs?: number;
  /** Rounds at most. Default 30. */
  maxRepetitions?: number;
  /** A candidate must beat `direct`'s median by this fraction to be chosen over it. Default 0.03. */
  margin?: number;
  /** Called with every new decision (e.g. `console.log`). */
  onDecision?: (d: AutotuneDecision) => void;
}

const settings: Required<Omit<AutotuneOptions, 'onDecision'>> & Pick<AutotuneOptions, 'onDecision'> = {
  mode: 'training',
  minRepetitions: 5,
  budgetMs: 400,
  maxRepetitions: 30,
  margin: 0.03,
  onDecision: undefined,
};
const decisions = new Map<string, AutotuneDecision>();

/**
 * Changes how `algorithm: 'auto'` measures (applies to decisions made from now on).
 * @public
 */
export function setAutotuneOptions(options: AutotuneOptions): void {
  Object.assign(settings, options);
}

function keyOf(backend: string, g: ConvGeometry, mode: string): string {
  return [
    backend,
    `x${g.batch}x${g.inHeight}x${g.inWidth}x${g.inChannels}`,
    `w${g.kernelHeight}x${g.kernelWidth}x${g.inChannels / g.groups}x${g.outChannels}`,
    `s${g.strides.join('x')}`,
    `p${g.pads.flat().join('x')}`,
    `d${g.dilations.join('x')}`,
    `g${g.groups}`,
    mode,
  ].join('|');
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The candidates 'auto' considers for a problem: every algorithm that applies, `direct` first. */
export function autotuneCandidates(g: ConvGeometry): ConcreteConvAlgorithm[] {
  return CONV_ALGORITHMS.filter((a) => applicable(a, g));
}

function makeInputs(g: ConvGeometry): { x: Tensor; w: Tensor } {
  const rng = new Rng(0x5eed);
  const fill = (shape: number[]) => {
    const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < v.length; i++) v[i] = rng.nextFloat() - 0.5;
    return tf.tensor(v, shape);
  };
  return {
    x: fill([g.batch, g.inHeight, g.inWidth, g.inChannels]),
    w: fill([g.kernelHeight, g.kernelWidth, g.inChannels / g.groups, g.outChannels]),
  };
}

function computeOnce(a: ConcreteConvAlgorithm, x: Tensor, w: Tensor, g: ConvGeometry, mode: string): Tensor[] {
  if (mode === 'inference') return [runAlgorithm(a, x, w, g)];
  const f = (xi: Tensor, wi: Tensor) => tf.sum(runAlgorithm(a, xi, wi, g));
  return tf.grads(f as (...t: Tensor[]) => Tensor)([x, w]);
}

interface Measured {
  med: Map<ConcreteConvAlgorithm, number>;
  reps: Map<ConcreteConvAlgorithm, number>;
  /** Median over rounds of (candidate's time / direct's time in the same round): robust to load changes. */
  ratio: Map<ConcreteConvAlgorithm, number>;
}

/**
 * The measurement plan, written once for the synchronous and the asynchronous driver: yields the candidate to
 * time next and receives its milliseconds. One warm-up run each (a candidate 3× slower than direct is dropped,
 * one slower than `budgetMs` keeps that run as its only sample), then interleaved rounds (so load changes hit
 * every candidate alike) until `minRepetitions` rounds and `budgetMs` have passed (at most 10 × `budgetMs`);
 * after 3 rounds, candidates 1.5× slower than the best median are dropped. Each candidate is also compared with
 * direct round by round (the ratio of their times in the same round), which cancels the machine's load swings.
 */
function* plan(candidates: ConcreteConvAlgorithm[]): Generator<ConcreteConvAlgorithm, Measured, number> {
  const samples = new Map<ConcreteConvAlgorithm, number[]>(candidates.map((c) => [c, []]));
  const ratios = new Map<ConcreteConvAlgorithm, number[]>(candidates.map((c) => [c, []]));
  const start = performance.now();
  const warm = new Map<ConcreteConvAlgorithm, number>();
  for (const c of candidates) warm.set(c, yield c);
  // A candidate whose single run exceeds the budget is judged on that run: repeating a many-second run would make
  // tuning cost minutes, and first-run overheads are small beside it.
  let alive = candidates.filter((c) => (c === 'direct' || warm.get(c)! < 3 * warm.get('direct')!) && warm.get(c)! <= settings.budgetMs);
  for (let round = 0; round < settings.maxRepetitions; round++) {
    const elapsed = performance.now() - start;
    if (round >= settings.minRepetitions && elapsed > settings.budgetMs) break;
    if (elapsed > 10 * settings.budgetMs) break;
    // Rotate the order every round: a run pays for its predecessor's garbage, so none always follows the same one.
    const thisRound = new Map<ConcreteConvAlgorithm, number>();
    for (let i = 0; i < alive.length; i++) {
      const c = alive[(i + round) % alive.length];
      const ms: number = yield c;
      samples.get(c)!.push(ms);
      thisRound.set(c, ms);
    }
    const directMs = thisRound.get('direct');
    if (directMs !== undefined) for (const [c, ms] of thisRound) ratios.get(c)!.push(ms / directMs);
    if (round + 1 >= 3) {
      const best = Math.min(...alive.map((c) => median(samples.get(c)!)));
      alive = alive.filter((c) => c === 'direct' || median(samples.get(c)!) < 1.5 * best);
    }
  }
  const med = new Map<ConcreteConvAlgorithm, number>();
  const reps = new Map<ConcreteConvAlgorithm, number>();
  const ratio = new Map<ConcreteConvAlgorithm, number>();
  for (const [c, s] of samples) {
    med.set(c, s.length ? median(s) : warm.get(c)!);
    reps.set(c, s.length || 1);
    // Without paired rounds (direct or the candidate too slow to repeat), compare medians with direct's.
    const r = ratios.get(c)!;
    ratio.set(c, r.length ? median(r) : med.get(c)! / (samples.get('direct')!.length ? median(samples.get('direct')!) : warm.get('direct')!));
  }
  return { med, reps, ratio };
}

function decide(key: string, backend: string, mode: 'training' | 'inference', m: Measured): AutotuneDecision {
  const { med, reps, ratio } = m;
  let best: ConcreteConvAlgorithm = 'direct';
  for (const [c, r] of ratio) if (r < ratio.get(best)!) best = c;
  // Prefer the backend's own kernel unless another algorithm is clearly faster, round by round and by median
  // time: noise must not make 'auto' slower than 'direct'.
  const direct = med.get('direct')!;
  if (best !== 'direct' && (ratio.get(best)! > 1 - settings.margin || med.get(best)! > direct * (1 - settings.margin))) best = 'direct';
  const fmt = (t: number) => `${t.toFixed(3)} ms`;
  const d: AutotuneDecision = {
    key,
    backend,
    algorithm: best,
    timings: Object.fromEntries(med),
    relativeToDirect: Object.fromEntries(ratio),
    repetitions: Object.fromEntries(reps),
    mode,
    source: 'measured',
    reason:
      `${best} measured fastest on ${backend} (${[...med].map(([c, t]) => `${c} ${fmt(t)}`).join(', ')}; ` +
      `medians, ${mode === 'training' ? 'forward + backward' : 'forward'}; time relative to direct in the same round: ` +
      `${[...ratio].filter(([c]) => c !== 'direct').map(([c, r]) => `${c} ${r.toFixed(2)}`).join(', ')})`,
  };
  decisions.set(key, d);
  settings.onDecision?.(d);
  return d;
}

function fallback(key: string, backend: string, mode: 'training' | 'inference', why: string): AutotuneDecision {
  const d: AutotuneDecision = {
    key,
    backend,
    algorithm: 'direct',
    timings: {},
    relativeToDirect: {},
    repetitions: {},
    mode,
    source: 'fallback',
    reason: why,
  };
  decisions.set(key, d);
  settings.onDecision?.(d);
  return d;
}

/**
 * The algorithm `'auto'` uses for a checked problem on the current backend: the cached decision, or a new
 * synchronous measurement (reads with `dataSync`, which cpu and wasm allow; on a backend that cannot read
 * synchronously it falls back to `direct` and says so; `await tuneConv2d(...)` measures there).
 */
export function chooseAlgorithm(g: ConvGeometry): AutotuneDecision {
  const backend = tf.getBackend();
  const mode = settings.mode;
  const key = keyOf(backend, g, mode);
  const known = decisions.get(key);
  if (known) return known;
  const { x, w } = makeInputs(g);
  try {
    const measured = withoutGradientTape(() => {
      const steps = plan(autotuneCandidates(g));
      let step = steps.next();
      while (!step.done) {
        const t0 = performance.now();
        const outs = tf.tidy(() => computeOnce(step.value as ConcreteConvAlgorithm, x, w, g, mode));
        try {
          for (const o of outs) o.dataSync(); // throws on backends that cannot read synchronously
        } finally {
          tf.dispose(outs);
        }
        step = steps.next(performance.now() - t0);
      }
      return step.value;
    });
    return decide(key, backend, mode, measured);
  } catch (e) {
    return fallback(key, backend, mode, `could not measure synchronously on ${backend} (${(e as Error).message}); await tuneConv2d(...) first`);
  } finally {
    x.dispose();
    w.dispose();
  }
}

/**
 * Measures the candidate algorithms for a convolution problem on the current backend now (asynchronously, so
 * it works on backends that cannot read synchronously, WebGPU in Node) and caches the decision that
 * `conv2d(..., {algorithm: 'auto'})` then uses. Returns the cached decision if there is one, unless `force`.
 * @public
 */
export async function tuneConv2d(
  xShape: readonly number[],
  wShape: readonly number[],
  options: Omit<Conv2DOptions, 'algorithm'> & { force?: boolean } = {},
): Promise<AutotuneDecision> {
  const g = conv2dGeometry('tuneConv2d', xShape, wShape, options);
  const backend = tf.getBackend();
  const mode = settings.mode;
  const key = keyOf(backend, g, mode);
  const known = decisions.get(key);
  if (known && !options.force && known.source !== 'fallback') return known;
  const { x, w } = makeInputs(g);
  try {
    const steps = plan(autotuneCandidates(g));
    let step = steps.next();
    while (!step.done) {
      const t0 = performance.now();
      const outs = tf.tidy(() => computeOnce(step.value as ConcreteConvAlgorithm, x, w, g, mode));
      await Promise.all(outs.map((o) => o.data()));
      tf.dispose(outs);
      step = steps.next(performance.now() - t0);
    }
    return decide(key, backend, mode, step.value);
  } finally {
    x.dispose();
    w.dispose();
  }
}

/**
 * Every decision `'auto'` has made or loaded in this process.
 * @public
 */
export function autotuneDecisions(): AutotuneDecision[] {
  return [...decisions.values()];
}

/**
 * Forgets every cached decision (the next `'auto'` call measures again).
 * @public
 */
export function clearAutotuneCache(): void {
  decisions.clear();
}

const CACHE_FORMAT = 'nutshell-conv-autotune/1';

/**
 * Writes the measured decisions to a JSON file (Node only), so that a later process can skip measuring.
 * @public
 */
export async function saveAutotuneCache(file: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  const measured = autotuneDecisions().filter((d) => d.source !== 'fallback');
  await writeFile(file, JSON.stringify({ format: CACHE_FORMAT, decisions: measured }, null, 2) + '\n');
}

/**
 * Loads decisions written by `saveAutotuneCache` (Node only). A missing file loads nothing; returns how many
 * decisions were loaded. Decisions are keyed by backend, so one file can serve several backends.
 * @public
 */
export async function loadAutotuneCache(file: string): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return 0;
    throw e;
  }
  const parsed = JSON.parse(text) as { format?: string; decisions?: AutotuneDecision[] };
  if (parsed.format !== CACHE_FORMAT || !Array.isArray(parsed.decisions)) {
    throw new ConvArgumentError('loadAutotuneCache', 'file', `a JSON file in format ${CACHE_FORMAT}`, parsed.format ?? 'unknown');
  }
  let n = 0;
  for (const d of parsed.decisions) {
    if (typeof d.key === 'string' && CONV_ALGORITHMS.includes(d.algorithm)) {
      decisions.set(d.key, { ...d, source: 'disk' });
      n++;
    }
  }
  return n;
}
