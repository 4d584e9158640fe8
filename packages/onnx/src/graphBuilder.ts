// Builds an ONNX graph one node at a time: unique value names, constant tensors (initializers), attributes.
import { AttributeType, DataType } from './proto.js';

/** An attribute value: a number is written as INT when it is an integer unless `float()` marks it. @public */
export type OnnxAttribute =
  | number
  | string
  | readonly number[]
  | readonly string[]
  | { readonly float: number }
  | { readonly floats: readonly number[] };

/** Marks a number as a FLOAT attribute (ONNX tells INT and FLOAT apart; JavaScript does not). @public */
export function float(value: number): { readonly float: number } {
  return { float: value };
}

interface NodeRecord {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: Record<string, unknown>[];
}

interface TensorRecord {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

/**
 * The graph under construction. Exporters add nodes with `op` and constants with `constant`/`ints`; every
 * value gets a fresh name, so a layer used twice in a graph model writes two independent sets of nodes.
 * @public
 */
export class OnnxGraphBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly initializers: TensorRecord[] = [];
  private readonly used = new Set<string>();

  /** A value name not used yet, based on `base` (ONNX names are free text; keep them readable). */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name exactly as given (graph inputs), so `fresh` never returns it. */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  /** A float32 constant of shape `dims`; returns its value name. */
  constant(base: string, values: Float32Array | readonly number[], dims: readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const name = this.fresh(base);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: DataType.FLOAT,
      rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
    });
    return name;
  }

  /** An int64 constant (a shape, axes); returns its value name. */
  ints(base: string, values: readonly number[]): string {
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    const name = this.fresh(base);
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: DataType.INT64,
      rawData: new Uint8Array(data.buffer),
    });
    return name;
  }

  /**
   * Adds a node `opType(inputs)` with attributes and returns the name of its (single) output, named after `base`.
   * An empty string in `inputs` is an omitted optional input, as ONNX writes it.
   */
  op(
    opType: string,
    inputs: readonly string[],
    base: string,
    attrs: Readonly<Record<string, OnnxAttribute>> = {},
  ): string {
    const out = this.fresh(base);
    this.nodes.push({
      input: [...inputs],
      output: [out],
      name: this.fresh(`${base}/${opType}`),
      opType,
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return out;
  }

  /** Adds a node with several outputs, named as given (take them from `fresh`); for ops such as `LSTM`. */
  multi(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    base: string,
    attrs: Readonly<Record<string, OnnxAttribute>> = {},
  ): void {
    this.nodes.push({
      input: [...inputs],
      output: [...outputs],
      name: this.fresh(`${base}/${opType}`),
      opType,
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
  }

  /** Copies `x` to a value named exactly `name` (a graph output's name), with an `Identity` node. */
  output(x: string, name: string): void {
    this.nodes.push({
      input: [x],
      output: [name],
      name: this.fresh(`${name}/Identity`),
      opType: 'Identity',
      attribute: [],
    });
  }

  /** The nodes and initializers, as `GraphProto` fields. @internal */
  graphFields(): { node: readonly object[]; initializer: readonly object[] } {
    return { node: this.nodes, initializer: this.initializers };
  }
}

function attribute(name: string, v: OnnxAttribute): Record<string, unknown> {
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    return Number.isInteger(v)
      ? { name, type: AttributeType.INT, i: v }
      : { name, type: AttributeType.FLOAT, f: v };
  }
  if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: [...v.floats] };
  const list = v as readonly (number | string)[];
  if (list.length > 0 && typeof list[0] === 'string') {
    return {
      name,
      type: AttributeType.STRINGS,
      strings: list.map((x) => new TextEncoder().encode(String(x))),
    };
  }
  return { name, type: AttributeType.INTS, ints: [...(list as readonly number[])] };
}
