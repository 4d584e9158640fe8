// The fused optimizer updates of @nutshell/backend (Adam/AdamW, SGD with or without momentum) for wasm: one
// kernel per weight and step instead of 13 (Adam) or 2–5 (SGD) dispatched through tfjs's engine, whose
// per-kernel cost, not arithmetic, was most of an optimizer step on small weights. Each runs as one hand-written
// wasm SIMD pass over the heap (adamSimd.ts, sgdSimd.ts), the last n mod 4 values by @nutshell/backend's scalar
// loop; where wasm SIMD cannot run, a small weight takes the scalar loop and a large one wasm's own SIMD
// element-wise kernels called directly (no engine in between). All round as the op-by-op rule does, so the result
// equals the unfused update bit for bit. 'native' copies 'wasm''s kernel table, so it runs these too.
import {
  ADAM_UPDATE,
  SGD_UPDATE,
  adamUpdateValues,
  sgdUpdateValues,
  type AdamUpdateAttrs,
  type SgdUpdateAttrs,
} from '@nutshell/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { asWasm, heapF32, release, runWasmKernel } from './heap.js';
import { adamSimd } from './adamSimd.js';
import { sgdSimd } from './sgdSimd.js';

/** Elements above which wasm's SIMD kernels beat the scalar loop (13 direct calls cost about 2,000 elements' loop). */
const SIMD_FROM = 2048;
/** Values from which the SGD pass runs (a [10] bias: 0.9 µs by the loop alone, 1.1 with the pass and its tail). */
const PASS_FROM = 64;

/** Runs the rule with wasm's element-wise kernels, called directly; frees every intermediate. */
class DirectOps {
  private readonly temps: TensorInfo[] = [];
  constructor(private readonly backend: BackendWasm) {}
  scalar(x: number): TensorInfo {
    const t = this.backend.makeOutput([], 'float32');
    heapF32(this.backend, t)[0] = x;
    return this.keep(t);
  }
  op(kernel: string, a: TensorInfo, b?: TensorInfo): TensorInfo {
    return this.keep(runWasmKernel(this.backend, kernel, b ? { a, b } : { x: a }, {}));
  }
  /** Hands `t` to the caller: not freed with the temporaries. */
  result(t: TensorInfo): TensorInfo {
    this.temps.splice(this.temps.indexOf(t), 1);
    return t;
  }
  free(): void {
    release(this.backend, ...this.temps);
  }
  private keep(t: TensorInfo): TensorInfo {
    this.temps.push(t);
    return t;
  }
}

function adamKernels(
  backend: BackendWasm,
  w: TensorInfo,
  g: TensorInfo,
  m: TensorInfo,
  v: TensorInfo,
  a: AdamUpdateAttrs,
): TensorInfo[] {
  const o = new DirectOps(backend);
  try {
    const m1 = o.op(
      'Add',
      o.op('Multiply', m, o.scalar(a.beta1)),
      o.op('Multiply', g, o.scalar(1 - a.beta1)),
    );
    const v1 = o.op(
      'Add',
      o.op('Multiply', v, o.scalar(a.beta2)),
      o.op('Multiply', o.op('Square', g), o.scalar(1 - a.beta2)),
    );
    const denom = o.op(
      'Add',
      o.op('Multiply', o.op('Sqrt', v1), o.scalar(a.invRootCorrection)),
      o.scalar(a.epsilon),
    );
    let w1 = o.op('Sub', w, o.op('Multiply', o.op('RealDiv', m1, denom), o.scalar(a.stepSize)));
    if (a.decay !== 0) w1 = o.op('Sub', w1, o.op('Multiply', w, o.scalar(a.decay)));
    return [o.result(w1), o.result(m1), o.result(v1)];
  } finally {
    o.free();
  }
}

function sgdKernels(
  backend: BackendWasm,
  w: TensorInfo,
  g: TensorInfo,
  velocity: TensorInfo | undefined,
  a: SgdUpdateAttrs,
): TensorInfo[] {
  const o = new DirectOps(backend);
  try {
    const lr = o.scalar(a.learningRate);
    if (!velocity) return [o.result(o.op('Sub', w, o.op('Multiply', g, lr)))];
    const mu = o.scalar(a.momentum);
    const vel = o.op('Add', o.op('Multiply', velocity, mu), g);
    const step = a.nesterov ? o.op('Add', g, o.op('Multiply', vel, mu)) : vel;
    return [o.result(o.op('Sub', w, o.op('Multiply', step, lr))), o.result(vel)];
  } finally {
    o.free();
  }
}

const adamUpdate: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { w, g, m, v } = inputs as Record<'w' | 'g' | 'm' | 'v', TensorInfo>;
  const a = attrs as unknown as AdamUpdateAttrs;
  const pass = adamSimd(backend);
  if (!pass && tf.util.sizeFromShape(w.shape) >= SIMD_FROM) return adamKernels(backend, w, g, m, v, a);
  // Allocate first: an allocation may grow the heap, which detaches views taken before it.
  const outs = [
    backend.makeOutput(w.shape, 'float32'),
    backend.makeOutput(w.shape, 'float32'),
    backend.makeOutput(w.shape, 'float32'),
  ];
  const h = (t: TensorInfo) => heapF32(backend, t);
  if (pass) {
    // Four lanes at a time in wasm SIMD; the last n mod 4 values by the scalar loop (the same rounding).
    const views = [w, g, m, v, ...outs].map(h);
    const n = views[0].length;
    const n4 = n >> 2;
    pass(
      ...(views.map((x) => x.byteOffset) as [number, number, number, number, number, number, number]),
      n4,
      a.decay !== 0 ? 1 : 0,
      a.beta1,
      1 - a.beta1,
      a.beta2,
      1 - a.beta2,
      a.epsilon,
      a.stepSize,
      a.invRootCorrection,
      a.decay,
    );
    if (n4 * 4 < n) {
      const [tw, tg, tm, tv, ow, om, ov] = views.map((x) => x.subarray(n4 * 4));
      adamUpdateValues(tw, tg, tm, tv, ow, om, ov, a);
    }
    return outs;
  }
  adamUpdateValues(
    h(w),
    h(g),
    h(m),
    h(v),
    h(outs[0]),
    h(outs[1]),
    h(outs[2]),
    attrs as unknown as AdamUpdateAttrs,
  );
  return outs;
};

const sgdUpdate: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = asWasm(b);
  const { w, g, velocity } = inputs as Record<'w' | 'g', TensorInfo> & { velocity?: TensorInfo };
  const a = attrs as unknown as SgdUpdateAttrs;
  const size = tf.util.sizeFromShape(w.shape);
  // Below PASS_FROM values the scalar loop alone: a bias's few values cost less than the pass and its tail.
  const pass =
    size >= PASS_FROM
      ? sgdSimd(backend, !velocity ? 'plain' : a.nesterov ? 'nesterov' : 'momentum')
      : undefined;
  if (!pass && size >= SIMD_FROM) return sgdKernels(backend, w, g, velocity, a);
  const outW = backend.makeOutput(w.shape, 'float32');
  const outV = velocity ? backend.makeOutput(w.shape, 'float32') : undefined;
  // Views only now: making the outputs may have grown the heap.
  const tw = heapF32(backend, w);
  const tg = heapF32(backend, g);
  const ow = heapF32(backend, outW);
  const tv = velocity ? heapF32(backend, velocity) : undefined;
  const ov = outV ? heapF32(backend, outV) : undefined;
  const outs = outV ? [outW, outV] : [outW];
  const n4 = pass ? size >> 2 : 0;
  if (pass) {
    // Four lanes at a time in wasm SIMD; the last n mod 4 values by the scalar loop (the same rounding).
    pass(
      tw.byteOffset,
      tg.byteOffset,
      tv?.byteOffset ?? 0,
      ow.byteOffset,
      ov?.byteOffset ?? 0,
      n4,
      a.learningRate,
      a.momentum,
    );
    if (n4 * 4 === size) return outs;
  }
  const from = n4 * 4;
  const rest = (x: Float32Array | undefined) => (x && from > 0 ? x.subarray(from) : x);
  sgdUpdateValues(rest(tw)!, rest(tg)!, rest(tv), rest(ow)!, rest(ov), a);
  return outs;
};

/** The fused Adam/AdamW update for 'wasm'. */
export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdate,
};
/** The fused SGD update for 'wasm'. */
export const sgdUpdateConfig: KernelConfig = {
  kernelName: SGD_UPDATE,
  backendName: 'wasm',
  kernelFunc: sgdUpdate,
};
