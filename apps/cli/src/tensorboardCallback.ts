import { join } from 'node:path';
import type { ArrayDataset } from '@nutshell/datasets';
import { tf } from '@nutshell/tensor';
import { TensorBoard } from '@nutshell/tensorboard';
import type { Loss } from '@nutshell/train';

/** How many training samples the gradient histograms are computed on. */
const PROBE_SAMPLES = 64;

/**
 * The `--tensorboard` callback of `nutshell train`: event files in `<run dir>/tensorboard`, gradient histograms on
 * the first 64 training samples, the first layer's kernel as images (a Dense one too when `imageShape` says the
 * samples are images, flattened). `dispose()` frees those samples. Throws `LogDirError` (and frees them) when the
 * folder is a file.
 */
export function tensorboardCallback(
  runDir: string,
  train: ArrayDataset,
  loss: Loss,
  imageShape?: readonly [number, number, number],
): { callback: TensorBoard; logDir: string; dispose: () => void } {
  const logDir = join(runDir, 'tensorboard');
  const probe = train.gather(Array.from({ length: Math.min(PROBE_SAMPLES, train.size) }, (_, i) => i));
  const dispose = () => tf.dispose([probe.x, probe.y]);
  try {
    return {
      callback: new TensorBoard(logDir, {
        gradients: { x: probe.x, y: probe.y, loss },
        inputImageShape: imageShape,
      }),
      logDir,
      dispose,
    };
  } catch (e) {
    dispose();
    throw e;
  }
}
