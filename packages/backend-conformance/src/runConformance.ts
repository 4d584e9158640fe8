import { currentBackend, tf, useBackend } from '@nutshell/backend';
import type { BackendPlugin } from '@nutshell/backend';
import { OP_CASES } from './cases/ops.js';
import type { OpCase } from './cases/types.js';
import { loadPackagedDigits } from './digits.js';
import { describeError, maxMixedError } from './errors.js';
import {
  caseInputs,
  forwardOnBackend,
  forwardReference,
  gradInputs,
  gradientsOnBackend,
  gradientsReference,
} from './opChecks.js';
import type { CaseInputs } from './opChecks.js';
import type { ConformanceKind, ConformanceOptions, ConformanceReport, ConformanceResult } from './report.js';
import { TRAINING_CASES } from './training.js';
import type { TrainingCase, TrainingCurve } from './training.js';

const DEFAULT_FORWARD_TOLERANCE = 1e-5;
const DEFAULT_GRADIENT_TOLERANCE = 1e-4;
const KINDS: readonly ConformanceKind[] = ['forward', 'gradient', 'training'];

/** A check the suite will run, known before anything runs (test frameworks need the names up front). */
export interface PlannedCheck {
  readonly name: string;
  readonly kind: ConformanceKind;
}

function wanted(name: string, options: ConformanceOptions): boolean {
  const f = options.filter;
  if (f === undefined) return true;
  return typeof f === 'string' ? name.includes(f) : f.test(name);
}

function selectedKinds(options: ConformanceOptions): readonly ConformanceKind[] {
  return options.kinds ?? KINDS;
}

/** The op cases these options select: the built-in ones (unless `builtIn: false`) and `options.cases`. */
function opCases(options: ConformanceOptions): readonly OpCase[] {
  return [...(options.builtIn === false ? [] : OP_CASES), ...(options.cases ?? [])].filter((c) =>
    wanted(c.name, options),
  );
}

/** The training runs these options select. */
function trainingCases(options: ConformanceOptions): readonly TrainingCase[] {
  return [...(options.builtIn === false ? [] : TRAINING_CASES), ...(options.trainingCases ?? [])].filter(
    (t) => wanted(t.name, options),
  );
}

/**
 * The checks `runConformance` runs with these options, in report order.
 * @public
 */
export function listConformanceChecks(
  options: ConformanceOptions = {},
): { name: string; kind: ConformanceKind }[] {
  const kinds = selectedKinds(options);
  const out: PlannedCheck[] = [];
  for (const kind of kinds) {
    if (kind === 'training') {
      for (const t of trainingCases(options)) out.push({ name: t.name, kind });
    } else {
      for (const c of opCases(options)) {
        if (!wanted(c.name, options)) continue;
        if (kind === 'forward' || gradInputs(c).length > 0) out.push({ name: c.name, kind });
      }
    }
  }
  return out;
}

interface CpuOp {
  readonly shape: number[];
  readonly forward: Float32Array | Int32Array;
  readonly gradients: Float32Array[] | null;
  readonly error?: string;
  readonly forwardFailed?: boolean;
}

// The CPU backend's and the float64 host's answers never change within a process: computed once.
const cpuOps = new Map<string, CpuOp>();
const cpuCurves = new Map<string, TrainingCurve>();
const hostForward = new Map<string, Float64Array>();
const hostGradients = new Map<string, Float64Array[]>();
const inputsByCase = new Map<string, CaseInputs>();

function inputsOf(c: OpCase): CaseInputs {
  let inputs = inputsByCase.get(c.name);
  if (!inputs) inputsByCase.set(c.name, (inputs = caseInputs(c)));
  return inputs;
}

async function cpuOp(c: OpCase, withGradients: boolean): Promise<CpuOp> {
  const known = cpuOps.get(c.name);
  if (known && (known.gradients || known.error || !withGradients || gradInputs(c).length === 0)) return known;
  const inputs = inputsOf(c);
  const { shape, values } = await forwardOnBackend(c, inputs);
  let gradients: Float32Array[] | null = null;
  let error: string | undefined;
  if (withGradients && gradInputs(c).length > 0) {
    try {
      gradients = await gradientsOnBackend(c, inputs, shape);
    } catch (e) {
      error = describeError(e);
    }
  }
  const result = { shape, forward: values, gradients, error };
  cpuOps.set(c.name, result);
  return result;
}

function hostForwardOf(c: OpCase): Float64Array | undefined {
  if (!c.reference) return undefined;
  let y = hostForward.get(c.name);
  if (!y) hostForward.set(c.name, (y = forwardReference(c, inputsOf(c)).data));
  return y;
}

function hostGradientsOf(c: OpCase, outSize: number): Float64Array[] | undefined {
  if (!c.reference) return undefined;
  let g = hostGradients.get(c.name);
  if (!g) hostGradients.set(c.name, (g = gradientsReference(c, inputsOf(c), outSize)));
  return g;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** Runs `fn` and reports a failure if it leaves tensors behind. */
async function withoutLeaks<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const value = await fn();
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`left ${leaked} tensor(s) alive`);
  return value;
}

function fmt(e: number): string {
  return Number.isFinite(e) ? e.toExponential(2) : String(e);
}

/** A bad-input case: passes when the op throws an error matching `refuses` and leaves no tensor alive. */
async function checkRefusal(c: OpCase, refuses: RegExp): Promise<ConformanceResult> {
  const base = { name: c.name, kind: 'forward' as const, tolerance: 0 };
  const before = tf.memory().numTensors;
  try {
    const { shape, values } = await forwardOnBackend(c, inputsOf(c));
    const some = Array.from(values.slice(0, 4)).join(', ');
    return {
      ...base,
      passed: false,
      maxError: Infinity,
      message: `returned shape [${shape}] (${some}${values.length > 4 ? ', …' : ''}) instead of refusing (${c.kernels.join(', ')})`,
    };
  } catch (e) {
    const leaked = tf.memory().numTensors - before;
    const message = describeError(e);
    const passed = refuses.test(message) && leaked === 0;
    return {
      ...base,
      passed,
      maxError: passed ? 0 : Infinity,
      message: leaked
        ? `refused but left ${leaked} tensor(s) alive: ${message}`
        : `${passed ? 'refused' : `refused, but not with ${refuses}`}: ${message}`,
    };
  }
}

async function checkForward(c: OpCase, cpu: CpuOp, scale: number): Promise<ConformanceResult> {
  if (c.refuses) return checkRefusal(c, c.refuses);
  const tolerance = (c.forwardTolerance ?? DEFAULT_FORWARD_TOLERANCE) * scale;
  const base = { name: c.name, kind: 'forward' as const, tolerance };
  try {
    if (cpu.forwardFailed) throw new Error(`the CPU backend could not run it either: ${cpu.error}`);
    const { value, ms } = await timed(() => withoutLeaks(() => forwardOnBackend(c, inputsOf(c))));
    if (value.shape.join() !== cpu.shape.join()) {
      return {
        ...base,
        passed: false,
        maxError: Infinity,
        ms,
        message: `shape [${value.shape}] but the CPU backend gives [${cpu.shape}]`,
      };
    }
    const host = hostForwardOf(c);
    const vsCpu = maxMixedError(value.values, cpu.forward);
    const vsHost = host ? maxMixedError(value.values, host) : 0;
    const maxError = Math.max(vsCpu, vsHost);
    const against = host
      ? `vs CPU backend ${fmt(vsCpu)}, vs float64 ${fmt(vsHost)}`
      : `vs CPU backend ${fmt(vsCpu)} (no float64 reference)`;
    return {
      ...base,
      passed: maxError <= tolerance,
      maxError,
      ms,
      message: `${against} (${c.kernels.join(', ')})`,
    };
  } catch (e) {
    return { ...base, passed: false, maxError: Infinity, message: describeError(e) };
  }
}

async function checkGradient(c: OpCase, cpu: CpuOp, scale: number): Promise<ConformanceResult> {
  const tolerance = (c.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE) * scale;
  const base = { name: c.name, kind: 'gradient' as const, tolerance };
  try {
    if (!cpu.gradients)
      throw new Error(`the CPU backend could not differentiate it either: ${cpu.error ?? 'unknown error'}`);
    const outSize = cpu.shape.reduce((a, b) => a * b, 1);
    const { value, ms } = await timed(() =>
      withoutLeaks(() => gradientsOnBackend(c, inputsOf(c), cpu.shape)),
    );
    const host = hostGradientsOf(c, outSize);
    let vsCpu = 0;
    let vsHost = 0;
    value.forEach((g, i) => {
      vsCpu = Math.max(vsCpu, maxMixedError(g, cpu.gradients![i]));
      if (host) vsHost = Math.max(vsHost, maxMixedError(g, host[i]));
    });
    const maxError = Math.max(vsCpu, vsHost);
    return {
      ...base,
      passed: maxError <= tolerance,
      maxError,
      ms,
      message: host
        ? `vs CPU backend ${fmt(vsCpu)}, vs float64 central differences ${fmt(vsHost)}`
        : `vs CPU backend ${fmt(vsCpu)} (no float64 reference)`,
    };
  } catch (e) {
    return { ...base, passed: false, maxError: Infinity, message: describeError(e) };
  }
}

async function checkTraining(
  t: TrainingCase,
  cpu: TrainingCurve,
  digits: Parameters<TrainingCase['train']>[0],
  scale: number,
): Promise<ConformanceResult> {
  const tolerance = t.tolerance * scale;
  const base = { name: t.name, kind: 'training' as const, tolerance };
  try {
    const { value, ms } = await timed(() => withoutLeaks(() => t.train(digits)));
    const maxError = maxMixedError(value.losses, cpu.losses);
    const first = value.losses[0];
    const last = value.losses[value.losses.length - 1];
    const learned = last <= t.mustReach * first;
    const curve = `loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${value.losses.length} steps, accuracy ${(100 * value.accuracy).toFixed(1)}%`;
    return {
      ...base,
      passed: maxError <= tolerance && learned,
      maxError,
      ms,
      message: learned
        ? `${curve}; curve vs CPU ${fmt(maxError)}`
        : `did not learn: ${curve} (must fall below ${t.mustReach}× the first loss)`,
    };
  } catch (e) {
    return { ...base, passed: false, maxError: Infinity, message: describeError(e) };
  }
}

/**
 * Runs the conformance suite on a backend plugin: every selected operation forward (against the CPU backend
 * and a float64 host computation), its gradients (against the CPU backend and float64 central
 * differences), and the training runs (loss curves against the CPU backend). Framework-free: works in Node
 * and in browsers (pass `options.digits` there).
 *
 * When the plugin's probe fails, the report says so in `skipped` and has no results: it has not passed.
 * The backend that was current before is current again afterwards.
 * @public
 */
export async function runConformance(
  plugin: BackendPlugin,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const probe = await plugin.probe();
  if (!probe.usable) {
    return {
      backend: plugin.name,
      skipped: `${probe.reason} ${probe.fix}`.trim(),
      results: [],
      kernels: [],
      passed: false,
      seconds: seconds(),
    };
  }
  const kinds = selectedKinds(options);
  const scale = options.toleranceScale ?? 1;
  const ops = opCases(options);
  const runs = kinds.includes('training') ? trainingCases(options) : [];
  const digits = runs.length > 0 ? (options.digits ?? (await loadPackagedDigits())) : undefined;
  const withGradients = kinds.includes('gradient');
  const previous = currentBackend();
  const results: ConformanceResult[] = [];
  const emit = (r: ConformanceResult) => {
    results.push(r);
    options.onResult?.(r);
  };

  try {
    // The CPU backend's answers first, so the backend under test never shares a step with it.
    await useBackend('cpu');
    const cpu = new Map<string, CpuOp>();
    for (const c of ops) {
      try {
        cpu.set(c.name, await cpuOp(c, withGradients));
      } catch (e) {
        cpu.set(c.name, {
          shape: [],
          forward: new Float32Array(0),
          gradients: null,
          error: describeError(e),
          forwardFailed: true,
        });
      }
    }
    for (const t of runs) if (!cpuCurves.has(t.name)) cpuCurves.set(t.name, await t.train(digits!));

    await useBackend(plugin);
    const skip = (c: OpCase, kind: ConformanceKind): ConformanceResult | undefined => {
      const why = c.unsupported?.(plugin.name);
      return why
        ? {
            name: c.name,
            kind,
            passed: false,
            skipped: why,
            maxError: NaN,
            tolerance: 0,
            message: `skipped: ${why}`,
          }
        : undefined;
    };
    for (const kind of kinds) {
      if (kind === 'forward')
        for (const c of ops) emit(skip(c, kind) ?? (await checkForward(c, cpu.get(c.name)!, scale)));
      if (kind === 'gradient')
        for (const c of ops)
          if (gradInputs(c).length > 0)
            emit(skip(c, kind) ?? (await checkGradient(c, cpu.get(c.name)!, scale)));
      if (kind === 'training')
        for (const t of runs) emit(await checkTraining(t, cpuCurves.get(t.name)!, digits!, scale));
    }
  } finally {
    await useBackend(previous);
  }
  const kernels = [...new Set(ops.flatMap((c) => c.kernels))].sort();
  return {
    backend: plugin.name,
    results,
    kernels,
    passed: results.every((r) => r.passed || r.skipped),
    seconds: seconds(),
  };
}
