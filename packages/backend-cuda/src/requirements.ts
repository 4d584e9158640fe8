/**
 * What `@tensorflow/tfjs-node-gpu` 4.22.0 needs from the machine. It is built on libtensorflow 2.9.1, which was
 * compiled against CUDA 11.2 and cuDNN 8.1, so it dlopens exactly these sonames and no newer ones.
 * @public
 */
export const CUDA_REQUIREMENTS = {
  /** The tfjs-node-gpu release this plugin is written for. */
  tfjsNodeGpu: '4.22.0',
  /** The libtensorflow release that tfjs-node-gpu 4.22.0 downloads at install time. */
  libtensorflow: '2.9.1',
  /** The CUDA toolkit libtensorflow 2.9.1 was built with. */
  cuda: '11.2',
  /** The cuDNN release libtensorflow 2.9.1 was built with. */
  cudnn: '8.1',
  /** The CUDA runtime library it loads. */
  cudartSoname: 'libcudart.so.11.0',
  /** The cuDNN library it loads. */
  cudnnSoname: 'libcudnn.so.8',
  /** The oldest Linux driver that runs CUDA 11.x code (CUDA minor-version compatibility). */
  minDriver: '450.80.02',
  /** The driver CUDA 11.2 itself shipped with; recommended. */
  recommendedDriver: '460.27.03',
} as const;

/**
 * Compares dotted version strings numerically (`'460.27.03'` vs `'450.80.02'`): negative, zero or positive.
 * @public
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((s) => parseInt(s, 10) || 0);
  const pb = b.split('.').map((s) => parseInt(s, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
