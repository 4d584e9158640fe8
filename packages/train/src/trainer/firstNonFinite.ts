// The data check scans every feature before training (MNIST: 47 M float32 values); this scan is most of its cost.
//
// A float32 is NaN or ±Infinity exactly when its 8 exponent bits are all ones. Adding one to the exponent field then
// carries into the sign bit, so OR-ing `(bits & EXPONENT) + ONE` over a block leaves the sign bit set exactly when
// the block holds such a value: integer work with no branch per value, four independent chains so the CPU can
// overlap them. The block is searched value by value only when it failed. On MNIST (Node 20, x64) this took
// 25–38 ms against 44–52 ms for `v − v !== 0` on the Float32Array and 37–40 ms for one compare per value.

const EXPONENT = 0x7f800000;
const ONE = 0x00800000;
/** Values OR-ed before the sign bit is tested: small enough that a failing block is searched cheaply. */
const BLOCK = 4096;

/**
 * The index of the first NaN or ±Infinity in `values`, or −1 when every value is finite. Integer typed arrays hold
 * only finite values and are not read.
 */
export function firstNonFinite(values: ArrayLike<number>): number {
  if (values instanceof Float32Array) return firstNonFiniteF32(values);
  if (values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray)
    return -1;
  if (values instanceof Int16Array || values instanceof Uint16Array || values instanceof Int8Array) return -1;
  if (values instanceof Uint32Array) return -1;
  for (let i = 0; i < values.length; i++) {
    // v − v is 0 for every finite v and NaN for NaN and ±Infinity.
    if (values[i] - values[i] !== 0) return i;
  }
  return -1;
}

function firstNonFiniteF32(values: Float32Array): number {
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  const n = bits.length;
  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let i = from;
    // `| 0` keeps the sum an int32 (EXPONENT + ONE is 2³¹, which wraps to the sign bit).
    for (; i + 3 < to; i += 4) {
      a |= ((bits[i] & EXPONENT) + ONE) | 0;
      b |= ((bits[i + 1] & EXPONENT) + ONE) | 0;
      c |= ((bits[i + 2] & EXPONENT) + ONE) | 0;
      d |= ((bits[i + 3] & EXPONENT) + ONE) | 0;
    }
    for (; i < to; i++) a |= ((bits[i] & EXPONENT) + ONE) | 0;
    if ((a | b | c | d) < 0) {
      for (let j = from; j < to; j++) if ((bits[j] & EXPONENT) === EXPONENT) return j;
    }
  }
  return -1;
}
