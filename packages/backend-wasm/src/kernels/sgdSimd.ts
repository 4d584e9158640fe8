// The fused SGD step (plain, momentum, Nesterov) in one wasm SIMD pass over the heap, four lanes at a time.
//
// Why. Above 2,048 elements the wasm kernel ran the rule as wasm's element-wise kernels called directly (a scalar,
// Multiply, Sub: three allocations and three XNNPACK calls), 4.9–6.1 µs for W1's [784, 10] weights; one pass is
// about 1.5 µs. Each lane computes exactly what @nutshell/backend's scalar loop (and the op-by-op rule) computes,
// every product and sum rounded to float32: vel = v·μ + g; step = vel, or g + vel·μ (Nesterov); w − step·lr.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add,
  addressAt,
  compileSimd,
  F32,
  f32x4,
  get,
  I32,
  i32,
  loadAt,
  loop,
  set,
  store,
  type Op,
} from './simdModule.js';

/** How the step uses a velocity: none (plain SGD), momentum, or Nesterov momentum. */
export type SgdMode = 'plain' | 'momentum' | 'nesterov';

// (func (param $w $g $v $ow $ov $n4 i32) (param $lr $mu f32)): byte addresses, n4 groups of 4 values.
const [W, G, V, OW, OV, N4, LR, MU] = [0, 1, 2, 3, 4, 5, 6, 7];
// Locals: $off i32; $lr4 $mu4 $g $vel v128.
const OFF = 8;
const [LR4, MU4, GV, VEL] = [9, 10, 11, 12];
const { splat, add: f32Add, sub: f32Sub, mul: f32Mul } = f32x4;
const loadAtOff = (ptr: number): Op => loadAt(ptr, OFF);
const addressOf = (ptr: number): Op => addressAt(ptr, OFF);

function body(mode: SgdMode): Op {
  const step: Op = [...loadAtOff(G), ...set(GV)];
  if (mode !== 'plain') {
    step.push(...loadAtOff(V), ...get(MU4), ...f32Mul, ...get(GV), ...f32Add, ...set(VEL));
    step.push(...addressOf(OV), ...get(VEL), ...store);
  }
  // w − step·lr, step = g, vel, or g + vel·μ
  step.push(...addressOf(OW), ...loadAtOff(W));
  if (mode === 'plain') step.push(...get(GV));
  else if (mode === 'momentum') step.push(...get(VEL));
  else step.push(...get(GV), ...get(VEL), ...get(MU4), ...f32Mul, ...f32Add);
  step.push(...get(LR4), ...f32Mul, ...f32Sub, ...store);
  step.push(...get(OFF), ...i32(16), ...add, ...set(OFF));
  // Until $off reaches n4·16 (checked first: n4 may be 0).
  const code: Op = [
    ...[...get(LR), ...splat, ...set(LR4), ...get(MU), ...splat, ...set(MU4)],
    ...[0x02, 0x40], // block
    ...loop(
      [...get(OFF), ...get(N4), ...i32(4), 0x74, 0x4f, 0x0d, 0x01], // i32.shl, i32.ge_u, br_if out
      step,
      [0x0c, 0x00], // br loop
    ),
    0x0b, // end block
  ];
  return [0x02, 0x01, 0x7f, 0x04, 0x7b, ...code, 0x0b]; // locals: 1 × i32, 4 × v128
}

type SgdPass = (
  w: number,
  g: number,
  v: number,
  ow: number,
  ov: number,
  n4: number,
  lr: number,
  mu: number,
) => void;

const bodies = new Map<SgdMode, Op>();
const NAMES: Record<SgdMode, string> = {
  plain: 'sgdPlain',
  momentum: 'sgdMomentum',
  nesterov: 'sgdNesterov',
};

/** The SIMD pass for `mode` bound to this backend's heap, or undefined where wasm SIMD cannot run here. */
export function sgdSimd(backend: BackendWasm, mode: SgdMode): SgdPass | undefined {
  let code = bodies.get(mode);
  if (!code) bodies.set(mode, (code = body(mode)));
  return compileSimd<SgdPass>(backend, NAMES[mode], [...Array<number>(6).fill(I32), F32, F32], code);
}
