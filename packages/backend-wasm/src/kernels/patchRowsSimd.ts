// One filter tap's row of the transposed im2col matrix, copied in 128-bit wasm SIMD over the tfjs wasm heap (a
// hand-written module, as in maxPoolGradSimd.ts). For a stride-1 convolution, tap (kh, kw)'s input values over all
// output positions are, image by image, OH rows of OW consecutive values starting at row kh, column kw: this copies
// them, for `images` images in a row (the input transposed to [CI, B, H, W], so channels and batch are one loop),
// into one contiguous row of the matrix. OW must be a multiple of 4.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { add, compileSimd, countDown, get, i32, load, loop, set, store, type Op } from './simdModule.js';

// (func (param $src $dst $images $oh $ow4 $rowBytes $imageBytes i32)), locals $r $s $y $v i32.
const [src, dst, images, oh, ow4, rowBytes, imageBytes] = [0, 1, 2, 3, 4, 5, 6];
const [r, s, y, v] = [7, 8, 9, 10];

// prettier-ignore
const body: Op = [
  0x01, 0x04, 0x7f, // locals: 4 × i32
  ...loop(
    get(src), set(r),
    get(oh), set(y),
    loop(
      get(r), set(s),
      get(ow4), set(v),
      loop(
        get(dst), get(s), load, store, // four values
        get(dst), i32(16), add, set(dst),
        get(s), i32(16), add, set(s),
        countDown(v),
      ),
      get(r), get(rowBytes), add, set(r), // the next input row
      countDown(y),
    ),
    get(src), get(imageBytes), add, set(src), // the next image (or channel)
    countDown(images),
  ),
  0x0b,
];

/** Byte addresses of the first input value and of the row's start, then the counts and strides described above. */
export type PatchRows = (
  src: number,
  dst: number,
  images: number,
  oh: number,
  ow4: number,
  rowBytes: number,
  imageBytes: number,
) => void;

/** The SIMD copy bound to this backend's heap, or undefined where it cannot run (no wasm SIMD). */
export function patchRowsSimd(backend: BackendWasm): PatchRows | undefined {
  return compileSimd<PatchRows>(backend, 'patchRows', 7, body);
}
