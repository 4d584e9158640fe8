// Every conv algorithm × stride, dilation, padding (same, valid, explicit) and groups, forward and both
// gradients (input and filter), against a float64 convolution on the host; and conv1d.
import { reference as R, type OpCase } from '@nutshell/backend-conformance';
import { CONV_ALGORITHMS, conv1d, conv2d, type ConcreteConvAlgorithm, type Padding } from '@nutshell/conv';

type Nd = R.Nd;
type Pad2 = readonly [readonly [number, number], readonly [number, number]];

interface Geometry {
  readonly label: string;
  readonly x: number[];
  readonly w: number[];
  readonly strides: number;
  readonly dilations: number;
  readonly padding: 'same' | 'valid' | Pad2;
  readonly groups: number;
}

const GEOMETRIES: readonly Geometry[] = [
  { label: 'valid', x: [2, 7, 6, 3], w: [3, 3, 3, 4], strides: 1, dilations: 1, padding: 'valid', groups: 1 },
  { label: 'same', x: [1, 6, 7, 2], w: [3, 3, 2, 3], strides: 1, dilations: 1, padding: 'same', groups: 1 },
  {
    label: 'explicit padding',
    x: [1, 5, 6, 2],
    w: [3, 3, 2, 3],
    strides: 1,
    dilations: 1,
    padding: [
      [1, 0],
      [2, 1],
    ],
    groups: 1,
  },
  {
    label: 'stride 2 same',
    x: [1, 7, 8, 2],
    w: [3, 3, 2, 3],
    strides: 2,
    dilations: 1,
    padding: 'same',
    groups: 1,
  },
  {
    label: 'stride 2 valid 2x2 kernel',
    x: [2, 6, 5, 2],
    w: [2, 2, 2, 3],
    strides: 2,
    dilations: 1,
    padding: 'valid',
    groups: 1,
  },
  {
    label: 'dilation 2 valid',
    x: [1, 8, 7, 2],
    w: [3, 3, 2, 2],
    strides: 1,
    dilations: 2,
    padding: 'valid',
    groups: 1,
  },
  {
    label: 'dilation 2 same',
    x: [1, 6, 6, 2],
    w: [3, 3, 2, 2],
    strides: 1,
    dilations: 2,
    padding: 'same',
    groups: 1,
  },
  {
    label: 'groups 2',
    x: [1, 6, 5, 4],
    w: [3, 3, 2, 4],
    strides: 1,
    dilations: 1,
    padding: 'same',
    groups: 2,
  },
];

/** float64 convolution with groups: each group's input channels meet that group's filters. */
function convReference(x: Nd, w: Nd, g: Geometry): Nd {
  const opts = {
    strides: [g.strides, g.strides] as [number, number],
    padding: g.padding as R.Padding,
    dilations: [g.dilations, g.dilations] as [number, number],
  };
  if (g.groups === 1) return R.conv2d(x, w, opts);
  const [n, h, wd, c] = x.shape;
  const [kh, kw, cg, f] = w.shape;
  const fg = f / g.groups;
  const parts = Array.from({ length: g.groups }, (_, k) =>
    R.conv2d(
      R.slice(x, [0, 0, 0, k * cg], [n, h, wd, c / g.groups]),
      R.slice(w, [0, 0, 0, k * fg], [kh, kw, cg, fg]),
      opts,
    ),
  );
  return R.concat(parts, 3);
}

function applicable(algorithm: ConcreteConvAlgorithm, g: Geometry): boolean {
  if (algorithm !== 'winograd') return true;
  return g.w[0] === 3 && g.w[1] === 3 && g.strides === 1 && g.dilations === 1;
}

/** One case per applicable (algorithm, geometry): forward, and gradients for the input and the filter. */
export const CONV_CASES: readonly OpCase[] = CONV_ALGORITHMS.flatMap((algorithm) =>
  GEOMETRIES.filter((g) => applicable(algorithm, g)).map((g): OpCase => ({
    name: `conv2d ${algorithm} ${g.label}`,
    family: 'conv',
    kernels: [],
    inputs: [{ shape: g.x }, { shape: g.w }],
    run: ([x, w]) =>
      conv2d(x, w, {
        algorithm,
        strides: g.strides,
        dilations: g.dilations,
        padding: g.padding as Padding,
        groups: g.groups,
      }),
    reference: ([x, w]) => convReference(x, w, g),
    gradientTolerance: 2e-4,
    forwardTolerance: algorithm === 'fft' || algorithm === 'winograd' ? 1e-4 : 1e-5,
  })),
);

/**
 * `fft` through the backend's own FFT kernels (`fftTransform: 'backend'`; `'auto'` uses float64 DFT matrices
 * except on tensorflow). On webgpu this runs tfjs's FFT program and Nutshell's Real/Imag kernels; its twiddles
 * come from the shader's cos/sin, so the tolerance is 1e-3 (SwiftShader is off by up to 3e-4).
 */
export const FFT_BACKEND_CASES: readonly OpCase[] = [GEOMETRIES[0], GEOMETRIES[3], GEOMETRIES[7]].map(
  (g): OpCase => ({
    name: `conv2d fft (backend transform) ${g.label}`,
    family: 'conv',
    kernels: ['FFT', 'IFFT', 'Complex', 'Real', 'Imag'],
    inputs: [{ shape: g.x }, { shape: g.w }],
    run: ([x, w]) =>
      conv2d(x, w, {
        algorithm: 'fft',
        fftTransform: 'backend',
        strides: g.strides,
        dilations: g.dilations,
        padding: g.padding as Padding,
        groups: g.groups,
      }),
    reference: ([x, w]) => convReference(x, w, g),
    forwardTolerance: 1e-3,
    gradientTolerance: 1e-3,
    // Decided by name: the suite asks before the backend is registered, so its kernel table cannot be read yet.
    unsupported: (backend) =>
      backend === 'wasm' || backend === 'native'
        ? "tfjs-backend-wasm registers no FFT kernel ('native' runs wasm's kernel table)"
        : undefined,
  }),
);

/** conv1d as the 2-D convolution of a one-row image. */
export const CONV1D_CASES: readonly OpCase[] = [
  { label: 'stride 2 same', stride: 2, dilation: 1, padding: 'same' as const },
  { label: 'dilation 2 valid', stride: 1, dilation: 2, padding: 'valid' as const },
  { label: 'explicit padding', stride: 1, dilation: 1, padding: [2, 1] as const },
].map((o): OpCase => ({
  name: `conv1d ${o.label}`,
  family: 'conv',
  kernels: [],
  inputs: [{ shape: [2, 9, 3] }, { shape: [3, 3, 4] }],
  run: ([x, w]) => conv1d(x, w, { strides: o.stride, dilations: o.dilation, padding: o.padding }),
  reference: ([x, w]) => {
    const padding: R.Padding =
      typeof o.padding === 'string'
        ? o.padding
        : [
            [0, 0],
            [o.padding[0], o.padding[1]],
          ];
    const y = R.conv2d(R.reshape(x, [2, 1, 9, 3]), R.reshape(w, [1, 3, 3, 4]), {
      strides: [1, o.stride],
      padding,
      dilations: [1, o.dilation],
    });
    return R.reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  },
  gradientTolerance: 2e-4,
}));
