// Every built-in activation of @nutshell/activations as ONNX ops, with the same constants Nutshell uses.
import { SELU_ALPHA, SELU_SCALE } from '@nutshell/activations';
import { float, type OnnxGraphBuilder } from '../graphBuilder.js';
import type { LayerExporter } from '../exporter.js';

type Unit = (g: OnnxGraphBuilder, x: string, base: string) => string;

const scalar = (g: OnnxGraphBuilder, base: string, v: number) => g.constant(base, [v], []);

const sigmoidTimes = (g: OnnxGraphBuilder, x: string, base: string) =>
  g.op('Mul', [x, g.op('Sigmoid', [x], `${base}/sigmoid`)], base);

const units: Record<string, Unit> = {
  linear: (g, x, base) => g.op('Identity', [x], base),
  sigmoid: (g, x, base) => g.op('Sigmoid', [x], base),
  tanh: (g, x, base) => g.op('Tanh', [x], base),
  relu: (g, x, base) => g.op('Relu', [x], base),
  relu6: (g, x, base) => g.op('Clip', [x, scalar(g, `${base}/min`, 0), scalar(g, `${base}/max`, 6)], base),
  leakyRelu: (g, x, base) => g.op('LeakyRelu', [x], base, { alpha: float(0.01) }), // leakyRelu's default alpha
  elu: (g, x, base) => g.op('Elu', [x], base, { alpha: float(1) }),
  selu: (g, x, base) => g.op('Selu', [x], base, { alpha: float(SELU_ALPHA), gamma: float(SELU_SCALE) }),
  // Opset 17 has no Gelu op (it came in 20): 0.5·x·(1 + erf(x/√2)), as @nutshell/activations computes it.
  gelu: (g, x, base) => {
    const erf = g.op(
      'Erf',
      [g.op('Mul', [x, scalar(g, `${base}/rsqrt2`, Math.SQRT1_2)], `${base}/scaled`)],
      `${base}/erf`,
    );
    const onePlus = g.op('Add', [erf, scalar(g, `${base}/one`, 1)], `${base}/one_plus`);
    return g.op('Mul', [g.op('Mul', [x, scalar(g, `${base}/half`, 0.5)], `${base}/half_x`), onePlus], base);
  },
  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
  geluTanh: (g, x, base) => {
    const cube = g.op('Pow', [x, scalar(g, `${base}/three`, 3)], `${base}/cube`);
    const inner = g.op(
      'Add',
      [x, g.op('Mul', [cube, scalar(g, `${base}/c`, 0.044715)], `${base}/c_cube`)],
      `${base}/inner`,
    );
    const t = g.op(
      'Tanh',
      [g.op('Mul', [inner, scalar(g, `${base}/k`, Math.sqrt(2 / Math.PI))], `${base}/scaled`)],
      `${base}/tanh`,
    );
    const onePlus = g.op('Add', [t, scalar(g, `${base}/one`, 1)], `${base}/one_plus`);
    return g.op('Mul', [g.op('Mul', [x, scalar(g, `${base}/half`, 0.5)], `${base}/half_x`), onePlus], base);
  },
  swish: sigmoidTimes,
  silu: sigmoidTimes,
  mish: (g, x, base) =>
    g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x], `${base}/softplus`)], `${base}/tanh`)], base),
  softplus: (g, x, base) => g.op('Softplus', [x], base),
  softsign: (g, x, base) => g.op('Softsign', [x], base),
  // relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1)
  hardSigmoid: (g, x, base) => g.op('HardSigmoid', [x], base, { alpha: float(1 / 6), beta: float(0.5) }),
  hardSwish: (g, x, base) => g.op('HardSwish', [x], base),
  softmax: (g, x, base) => g.op('Softmax', [x], base, { axis: -1 }),
  logSoftmax: (g, x, base) => g.op('LogSoftmax', [x], base, { axis: -1 }),
};

/** The activations ONNX export writes (canonical names, as `canonicalActivationName` gives them). @public */
export const ONNX_ACTIVATIONS: readonly string[] = Object.keys(units);

/**
 * Writes activation `name` applied to `x`; returns the output's name, or `x` itself for `'linear'` when
 * `skipLinear`. Returns undefined for an activation it does not know (a custom one), for the caller to report.
 * @internal
 */
export function writeActivation(
  g: OnnxGraphBuilder,
  x: string,
  name: string,
  base: string,
  skipLinear = true,
): string | undefined {
  if (name === 'linear' && skipLinear) return x;
  const unit = units[name];
  return unit ? unit(g, x, base) : undefined;
}

/** Writes `ctx.layer.activation` after `y`, or throws naming the layer for a custom activation. @internal */
export function activateOrFail(ctx: Parameters<LayerExporter>[0], y: string, activation: string): string {
  const out = writeActivation(ctx.graph, y, activation, `${ctx.layer.name}/${activation}`);
  if (out === undefined)
    throw ctx.unsupported(
      `activation '${activation}' has no ONNX form (supported: ${ONNX_ACTIVATIONS.join(', ')})`,
    );
  return out;
}

/** The `Activation` layer. @internal */
export const exportActivationLayer: LayerExporter = (ctx) => {
  const activation = (ctx.layer as unknown as { activation: string }).activation;
  const out = writeActivation(ctx.graph, ctx.inputs[0], activation, ctx.layer.name, false);
  if (out === undefined)
    throw ctx.unsupported(
      `activation '${activation}' has no ONNX form (supported: ${ONNX_ACTIVATIONS.join(', ')})`,
    );
  return out;
};
