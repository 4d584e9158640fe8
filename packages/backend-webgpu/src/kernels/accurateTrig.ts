// sin and cos to float32 accuracy on any adapter. WGSL only promises an absolute error of 2^-11 for its
// built-in sin/cos on [-π, π], and SwiftShader (Chromium's software adapter) is off by up to 1e-4, ten times
// the conformance tolerance. These kernels reduce the argument by π/2 in three parts (Cody–Waite) and evaluate
// Cephes' minimax polynomials on [-π/4, π/4], with only +, × and fma, which every adapter computes exactly
// rounded.
import { tf } from '@nutshell/backend';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, webgpu_util as WebGpuUtil } from '@tensorflow/tfjs-backend-webgpu';

type Fn = 'sin' | 'cos';

// Beyond this the reduction loses accuracy and the quadrant overflows i32: leave it to the built-in.
const REDUCE_LIMIT = 1e5;

const WGSL_HELPERS = /* wgsl */ `
fn nutshellReduce(x : f32) -> vec2<f32> {
  // k = nearest multiple of π/2; r = x − k·π/2 with π/2 split into three float32 parts.
  let k = round(x * 0.63661975);
  var r = fma(-k, 1.5703125, x);
  r = fma(-k, 4.837512969970703125e-4, r);
  r = fma(-k, 7.54978995489188216e-8, r);
  return vec2<f32>(r, k);
}
fn nutshellSinPoly(r : f32) -> f32 {
  let z = r * r;
  return fma(fma(fma(-1.9515295891e-4, z, 8.3321608736e-3), z, -1.6666654611e-1) * z, r, r);
}
fn nutshellCosPoly(r : f32) -> f32 {
  let z = r * r;
  return fma(fma(fma(2.443315711809948e-5, z, -1.388731625493765e-3), z, 4.166664568298827e-2) * z, z, fma(-0.5, z, 1.0));
}
fn nutshellTrig(x : f32, cosine : bool) -> f32 {
  if (!(abs(x) < ${REDUCE_LIMIT.toExponential()})) {
    if (cosine) { return cos(x); }
    return sin(x);
  }
  let rk = nutshellReduce(x);
  let r = rk.x;
  var q = (i32(rk.y) % 4 + 4) % 4;
  if (cosine) { q = (q + 1) % 4; }
  // sin(r + q·π/2) for q = 0, 1, 2, 3 is sin r, cos r, −sin r, −cos r; cos(x) = sin(x + π/2).
  if (q == 0) { return nutshellSinPoly(r); }
  if (q == 1) { return nutshellCosPoly(r); }
  if (q == 2) { return -nutshellSinPoly(r); }
  return -nutshellCosPoly(r);
}
`;

/** A WebGPU program computing sin or cos elementwise (the shape of tfjs's UnaryOpProgram). */
class AccurateTrigProgram {
  readonly variableNames = ['A'];
  readonly size = true;
  readonly workgroupSize: [number, number, number] = [128, 1, 1];
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly shaderKey: string;

  constructor(
    outputShape: number[],
    private readonly fn: Fn,
    util: typeof WebGpuUtil,
  ) {
    this.outputShape = outputShape;
    this.dispatchLayout = util.flatDispatchLayout(outputShape);
    this.dispatch = util.computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
    this.shaderKey = `nutshell_accurate_${fn}`;
  }

  getUserCode(): string {
    return `
      ${WGSL_HELPERS}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let a = getAByOutputIndex(index);
          setOutputAtIndex(index, nutshellTrig(a, ${this.fn === 'cos'}));
        }
      }
    `;
  }
}

/** The kernel configs for Sin and Cos on 'webgpu'. */
export function accurateTrigKernels(util: typeof WebGpuUtil): KernelConfig[] {
  const make =
    (fn: Fn): KernelFunc =>
    ({ inputs, backend }) => {
      const x = inputs.x as TensorInfo;
      const program = new AccurateTrigProgram([...x.shape], fn, util);
      return (backend as unknown as WebGPUBackend).runWebGPUProgram(program as never, [x], 'float32');
    };
  return [
    { kernelName: tf.Sin, backendName: 'webgpu', kernelFunc: make('sin') },
    { kernelName: tf.Cos, backendName: 'webgpu', kernelFunc: make('cos') },
  ];
}
