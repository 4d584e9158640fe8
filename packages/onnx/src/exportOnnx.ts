import { Model, Sequential, type ModelLike, type Shape } from '@nutshell/layers';
import { OnnxExportError, UnsupportedLayerError } from './errors.js';
import { exporterFor, onnxExportableLayers, type WeightValue } from './exporter.js';
import { refuseMaskReaders, type MaskStep } from './maskFlow.js';
import { OnnxGraphBuilder } from './graphBuilder.js';
import { DataType, IR_VERSION, ModelProto, ONNX_OPSET } from './proto.js';

/** Options of `exportOnnx`. @public */
export interface ExportOnnxOptions {
  /** Graph input names, one per model input. Default `'input'` (or the InputLayer names of a multi-input Model). */
  readonly inputNames?: readonly string[];
  /** Graph output names, one per model output. Default `'output'` (`output_0`, `output_1`, ... for several). */
  readonly outputNames?: readonly string[];
  /** Free text stored as the model's `doc_string` (e.g. how inputs must be preprocessed). */
  readonly docString?: string;
  /** Key/value pairs stored as the model's `metadata_props`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

interface Step extends MaskStep {
  readonly inputs: readonly number[]; // value ids
}

interface Plan {
  readonly inputs: { readonly id: number; readonly name: string; readonly shape: Shape }[];
  readonly steps: Step[];
  readonly outputs: { readonly id: number; readonly shape: Shape }[];
}

function planSequential(model: Sequential): Plan {
  if (!model.built)
    throw new OnnxExportError(
      `exportOnnx: Sequential '${model.name}' is not built: give it inputShape or apply it to a tensor first.`,
    );
  let shape = model.inputShape;
  const steps: Step[] = model.layers.map((layer, i) => {
    const inputShapes = [shape];
    shape = layer.computeOutputShape(shape);
    return { layer, inputs: [i], output: i + 1, inputShapes, outputShape: shape };
  });
  return {
    inputs: [{ id: 0, name: 'input', shape: model.inputShape }],
    steps,
    outputs: [{ id: model.layers.length, shape }],
  };
}

function planGraph(model: Model): Plan {
  return {
    inputs: model.inputs.map((i) => ({ id: i.id, name: i.sourceLayer.name, shape: i.shape })),
    steps: model.nodes.map((n) => ({
      layer: n.sourceLayer,
      inputs: n.inputs.map((i) => i.id),
      output: n.id,
      inputShapes: n.inputs.map((i) => i.shape),
      outputShape: n.shape,
    })),
    outputs: model.outputs.map((o) => ({ id: o.id, shape: o.shape })),
  };
}

function plan(model: ModelLike): Plan {
  if (model instanceof Sequential) return planSequential(model);
  if (model instanceof Model) return planGraph(model);
  throw new OnnxExportError(
    `exportOnnx: expected a Sequential or a graph Model, got ${(model as { className?: string }).className ?? typeof model}.`,
  );
}

async function readWeights(steps: readonly Step[]): Promise<Map<string, WeightValue>> {
  const values = new Map<string, WeightValue>();
  for (const { layer } of steps) {
    for (const w of layer.weights) {
      if (values.has(w.name)) continue;
      if (w.variable.dtype !== 'float32')
        throw new UnsupportedLayerError(
          layer.name,
          layer.className,
          `weight '${w.name}' is ${w.variable.dtype}; only float32 is exported`,
        );
      values.set(w.name, { values: (await w.variable.data()) as Float32Array, shape: [...w.variable.shape] });
    }
  }
  return values;
}

const valueInfo = (name: string, shape: Shape) => ({
  name,
  type: {
    tensorType: {
      elemType: DataType.FLOAT,
      shape: {
        dim: shape.map((d, i) => (d == null ? { dimParam: i === 0 ? 'batch' : `d${i}` } : { dimValue: d })),
      },
    },
  },
});

/**
 * Writes a model as an ONNX file (opset 17, float32): a `Sequential` or a graph `Model` of the layers of
 * \@nutshell/layers and \@nutshell/conv (and any with `registerOnnxExporter`). Inputs and outputs keep Nutshell's
 * shapes and layout (channels last, batch dimension symbolic), so the file takes exactly what `model.predict`
 * takes. Dropout is written for inference (the identity), BatchNormalization with its moving statistics.
 *
 * Throws `UnsupportedLayerError` naming the first layer (or activation) it cannot write, before writing anything.
 * Reads the weights asynchronously, so it works on every backend.
 *
 * @example
 * ```ts
 * const bytes = await exportOnnx(model);
 * writeFileSync('model.onnx', bytes);
 * ```
 * @public
 */
export async function exportOnnx(model: ModelLike, options: ExportOnnxOptions = {}): Promise<Uint8Array> {
  const p = plan(model);
  for (const { layer } of p.steps) {
    if (!exporterFor(layer.className)) {
      throw new UnsupportedLayerError(
        layer.name,
        layer.className,
        `no ONNX exporter for class '${layer.className}' (exportable: ${onnxExportableLayers().join(', ')}; add one with registerOnnxExporter)`,
      );
    }
  }
  refuseMaskReaders(p.steps);
  const weights = await readWeights(p.steps);
  const g = new OnnxGraphBuilder();
  const names = new Map<number, string>();
  const inputNames = options.inputNames ?? (p.inputs.length === 1 ? ['input'] : p.inputs.map((i) => i.name));
  const outputNames =
    options.outputNames ?? (p.outputs.length === 1 ? ['output'] : p.outputs.map((_, i) => `output_${i}`));
  if (inputNames.length !== p.inputs.length || outputNames.length !== p.outputs.length) {
    throw new OnnxExportError(
      `exportOnnx: the model has ${p.inputs.length} input(s) and ${p.outputs.length} output(s); got ${inputNames.length} inputNames and ${outputNames.length} outputNames.`,
    );
  }
  if (new Set([...inputNames, ...outputNames]).size !== inputNames.length + outputNames.length) {
    throw new OnnxExportError(
      `exportOnnx: input and output names must be distinct, got inputs [${inputNames.join(', ')}] and outputs [${outputNames.join(', ')}].`,
    );
  }
  p.inputs.forEach((inp, i) => names.set(inp.id, g.reserve(inputNames[i])));
  outputNames.forEach((n) => g.reserve(n));
  for (const step of p.steps) {
    const { layer } = step;
    const out = exporterFor(layer.className)!({
      layer,
      inputs: step.inputs.map((id) => names.get(id)!),
      inputShapes: step.inputShapes,
      graph: g,
      weight: (suffix) => {
        const w = weights.get(`${layer.name}/${suffix}`);
        if (!w)
          throw new UnsupportedLayerError(
            layer.name,
            layer.className,
            `it has no weight '${suffix}' (weights: ${layer.weights.map((x) => x.name).join(', ') || 'none'})`,
          );
        return w;
      },
      unsupported: (detail) => new UnsupportedLayerError(layer.name, layer.className, detail),
    });
    names.set(step.output, out);
  }
  // Name the outputs as asked: an Identity from each final value (a graph output may also feed other nodes).
  p.outputs.forEach((o, i) => g.output(names.get(o.id)!, outputNames[i]));
  const message = ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'nutshell',
    docString: options.docString ?? '',
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: model.name,
      ...g.graphFields(),
      input: p.inputs.map((inp, i) => valueInfo(inputNames[i], inp.shape)),
      output: p.outputs.map((o, i) => valueInfo(outputNames[i], o.shape)),
    },
  });
  return ModelProto.encode(message).finish();
}
