// ONNX Runtime's NCHWc convolution (`com.microsoft.nchwc` Conv, ReorderInput, ReorderOutput): MLAS's direct
// convolution on channels blocked by 16 (AVX-512) or 8 (AVX2). ONNX Runtime uses it by itself only for a Conv whose
// filter is a constant (its NchwcTransformer rewrites the graph when the session is created); the Conv kernel itself
// reads whatever filter it is given, so these graphs take the filter as an input, laid out here in the blocked order
// (filters are small). On LeNet's convolutions this is 1.4–1.8× faster than ONNX's Conv (im2col, then SGEMM), whose
// im2col dominated (README, Speed). The block size is found once by running a 1×1 convolution whose answer depends
// on it; where neither size gives it (a build without these kernels), the plain Conv graphs are used.
import { runGraph } from '../onnxRuntime.js';
import type { GraphNode } from '../onnxModel.js';

/** The domain of ONNX Runtime's blocked-layout operators. */
export const NCHWC = 'com.microsoft.nchwc';

/**
 * ONNX weights [out, in, kh, kw] as the NCHWc Conv's filter for an input of fewer channels than a block (read as
 * plain NCHW): [out/block, in, kh, kw, block], the output channels padded with zero filters to a whole block.
 */
export function filterOIHWBo(
  w: Float32Array,
  O: number,
  I: number,
  taps: number,
  block: number,
): Float32Array {
  const out = new Float32Array(Math.ceil(O / block) * block * I * taps);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let t = 0; t < taps; t++)
        out[((Math.floor(o / block) * I + i) * taps + t) * block + (o % block)] = w[(o * I + i) * taps + t];
  return out;
}

/**
 * ONNX weights [out, in, kh, kw] as the NCHWc Conv's filter for a blocked input (in a multiple of the block):
 * [out/block, in/block, kh, kw, block (in), block (out)], the output channels padded with zero filters.
 */
export function filterOIHWBiBo(
  w: Float32Array,
  O: number,
  I: number,
  taps: number,
  block: number,
): Float32Array {
  const out = new Float32Array(Math.ceil(O / block) * block * I * taps);
  const inBlocks = I / block;
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++)
      for (let t = 0; t < taps; t++)
        out[
          (((Math.floor(o / block) * inBlocks + Math.floor(i / block)) * taps + t) * block + (i % block)) *
            block +
            (o % block)
        ] = w[(o * I + i) * taps + t];
  return out;
}

/** `v` followed by zeros up to `n` values (a bias for the padded output channels). */
export function padded(v: Float32Array, n: number): Float32Array {
  if (v.length === n) return v;
  const out = new Float32Array(n);
  out.set(v);
  return out;
}

/** NHWC x → the NCHWc Conv's input: blocked where the channels fill whole blocks, else plain NCHW. */
export function nchwcInput(input: string, output: string, channels: number, block: number): GraphNode {
  return channels % block === 0
    ? {
        opType: 'ReorderInput',
        domain: NCHWC,
        inputs: [input],
        outputs: [output],
        attributes: { channels_last: 1 },
      }
    : { opType: 'Transpose', inputs: [input], outputs: [output], attributes: { perm: [0, 3, 1, 2] } };
}

let blockSize: number | undefined;

/** Sets the block size (0: never use NCHWc); `undefined` finds it again. For tests and measurements. */
export function setNchwcBlockSize(size: number | undefined): void {
  blockSize = size;
}

/**
 * The NCHWc block size of ONNX Runtime's kernels on this machine (16 or 8), or 0 where they are not used: the
 * environment variable `NUTSHELL_NATIVE_NCHWC=0` turns them off (for measurements); otherwise the first call runs
 * the check below with each size.
 */
export function nchwcBlockSize(): number {
  if (blockSize === undefined)
    blockSize = process.env.NUTSHELL_NATIVE_NCHWC === '0' ? 0 : ([16, 8].find(blockSizeWorks) ?? 0);
  return blockSize;
}

/**
 * A 1×1 convolution of x = [1, 10] (2 channels, read as NCHW) with 16 filters w[o] = [o + 1, 100·(o + 1)]: the
 * answer, 1001·(o + 1), comes out only if the filter's blocked order used here is the kernel's. 16 output channels
 * fill whole blocks of 8 or 16, so a wrong guess reads no memory outside the filter.
 */
function blockSizeWorks(block: number): boolean {
  const w = new Float32Array(32);
  for (let o = 0; o < 16; o++) [w[2 * o], w[2 * o + 1]] = [o + 1, 100 * (o + 1)];
  try {
    const y = runGraph(
      `NCHWc check ${block}`,
      () => ({
        nodes: <GraphNode[]>[
          { opType: 'Conv', domain: NCHWC, inputs: ['x0', 'x1'], outputs: ['yc'], attributes: { group: 1 } },
          {
            opType: 'ReorderOutput',
            domain: NCHWC,
            inputs: ['yc'],
            outputs: ['y'],
            attributes: { channels_last: 0, channels: 16 },
          },
        ],
        inputRanks: [4, 4],
        outputRank: 4,
      }),
      [
        { data: Float32Array.of(1, 10), shape: [1, 2, 1, 1] },
        { data: filterOIHWBo(w, 16, 2, 1, block), shape: [16, 2, 1, 1] },
      ],
      undefined,
      0,
    );
    return y.data.length === 16 && y.data.every((v, o) => v === 1001 * (o + 1));
  } catch {
    return false; // no NCHWc kernels in this build of ONNX Runtime, or a layout they refuse
  }
}
