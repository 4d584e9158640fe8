// The few ONNX ModelProto fields a one-operator model needs, written with protobufjs from a JSON descriptor of
// onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, IR version 8; field numbers copied from it).
// Every kernel here runs a graph of one to three operators whose inputs and outputs have symbolic dimensions, so
// one session serves every shape.
import protobuf from 'protobufjs';

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'int32', id: 20 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TypeProtoTensor', id: 1 } } },
        TypeProtoTensor: {
          fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
        },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
      },
    },
  },
};

const ModelProto = protobuf.Root.fromJSON(descriptor).lookupType('onnx.ModelProto');

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;
/** Opset 17: Gemm, MatMul, Conv and ConvTranspose as used here are unchanged since opset 13 or earlier. */
const OPSET = 17;

/** An attribute value: a number is an INT unless its name is listed in `floats`, a string a STRING, an array INTS. */
export type AttributeValue = number | string | readonly number[];

/** One node of a graph. */
export interface GraphNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
  /** Attribute names whose numbers are FLOAT rather than INT. */
  readonly floats?: readonly string[];
  /** The operator's domain: ONNX's ('') unless set, e.g. ONNX Runtime's `com.microsoft.nchwc` (blocked layout). */
  readonly domain?: string;
}

/** A small graph: float32 inputs `x0, x1, …` of the given ranks (every dimension symbolic), output `y`. */
export interface SmallGraph {
  readonly nodes: readonly GraphNode[];
  readonly inputRanks: readonly number[];
  readonly outputRank: number;
  /** Constant 1-D int64 inputs of nodes (Slice's starts and ends, Reshape's shape), by name. */
  readonly constants?: Readonly<Record<string, readonly number[]>>;
}

function valueInfo(name: string, rank: number) {
  const dim = Array.from({ length: rank }, (_, i) => ({ dimParam: `${name}_${i}` }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

function attribute(name: string, value: AttributeValue, isFloat: boolean) {
  if (typeof value === 'string')
    return { name, type: ATTRIBUTE_TYPE.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: ATTRIBUTE_TYPE.INTS, ints: value };
  return isFloat
    ? { name, type: ATTRIBUTE_TYPE.FLOAT, f: value }
    : { name, type: ATTRIBUTE_TYPE.INT, i: value };
}

/** The serialised ModelProto of `graph`. */
export function graphModel(graph: SmallGraph): Uint8Array {
  const inputs = graph.inputRanks.map((rank, i) => valueInfo(`x${i}`, rank));
  const nodes = graph.nodes.map((n, i) => ({
    name: `${n.opType}_${i}`,
    opType: n.opType,
    domain: n.domain ?? '',
    input: [...n.inputs],
    output: [...n.outputs],
    attribute: Object.entries(n.attributes ?? {}).map(([name, v]) =>
      attribute(name, v, n.floats?.includes(name) ?? false),
    ),
  }));
  const message = ModelProto.fromObject({
    irVersion: 8,
    producerName: '@nutshell/backend-native',
    opsetImport: [
      { domain: '', version: OPSET },
      ...[...new Set(graph.nodes.map((n) => n.domain ?? ''))]
        .filter((d) => d !== '')
        .map((domain) => ({ domain, version: 1 })),
    ],
    graph: {
      name: graph.nodes.map((n) => n.opType).join('_'),
      node: nodes,
      input: inputs,
      output: [valueInfo('y', graph.outputRank)],
      initializer: Object.entries(graph.constants ?? {}).map(([name, values]) => ({
        name,
        dataType: INT64,
        dims: [values.length],
        int64Data: [...values],
      })),
    },
  });
  return ModelProto.encode(message).finish();
}

/**
 * How each operator that may sit on a graph's per-sample path treats axis 0: the input slots whose rows (axis 0)
 * become the same rows of its output, each computed from that row alone. Conv's X (NCHWc's too) and ConvTranspose's
 * X are per image; a Transpose keeps rows where it leaves axis 0 in place; element-wise activations and the NCHWc
 * reorders keep them. Any other operator has none.
 */
const ROW_SLOTS: Readonly<Record<string, (node: GraphNode) => readonly number[]>> = {
  Conv: (n) => (n.inputs.length <= 3 ? [0] : []), // NCHWc's fourth input (Sum) is not used here
  ConvTranspose: () => [0],
  Transpose: (n) => ((n.attributes?.perm as readonly number[] | undefined)?.[0] === 0 ? [0] : []),
  Relu: () => [0],
  LeakyRelu: () => [0],
  ReorderInput: () => [0],
  ReorderOutput: () => [0],
};

const ROW_DOMAINS = new Set(['', 'com.microsoft.nchwc']);

function rowSlots(node: GraphNode): readonly number[] {
  const slots = ROW_DOMAINS.has(node.domain ?? '') ? ROW_SLOTS[node.opType] : undefined;
  return slots?.(node) ?? [];
}

/**
 * The inputs of `graph` whose rows (axis 0) map one to one onto the rows of its output `y`, each output row computed
 * from the same row of those inputs and the whole of the other inputs: a call may then be cut into slices of rows
 * (the other inputs fed whole to each) and give the same `y`. Empty where the operators cannot show it (a MatMul, a
 * transpose that moves axis 0, a reshape, a per-sample tensor in a weight's slot), and then the graph runs whole.
 */
export function batchInputs(graph: SmallGraph): number[] {
  // Per-sample inputs: those fed to a row slot somewhere. Each use of a per-sample tensor must then be a row slot,
  // what a node makes from one is per-sample, and y must be.
  const inputs = graph.inputRanks
    .map((_, i) => i)
    .filter((i) =>
      graph.nodes.some((n) => n.inputs.some((name, slot) => name === `x${i}` && rowSlots(n).includes(slot))),
    );
  const perRow = new Set(inputs.map((i) => `x${i}`));
  for (const node of graph.nodes) {
    const slots = rowSlots(node);
    const used = node.inputs.map((name) => perRow.has(name));
    if (!used.includes(true)) continue;
    if (used.some((u, slot) => u && !slots.includes(slot))) return [];
    node.outputs.forEach((o) => perRow.add(o));
  }
  return perRow.has('y') ? inputs : [];
}
