// The float64-reference and finite-difference checks of the recurrent layers, on the wasm backend. Skipped, with
// the reason in the title, when @nutshell/backend-wasm is not installed or its probe fails.
import { read, tf, useBackend } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding, LSTM } from './index.js';
import { checkForward, checkGradients } from './test-utils/checks.js';

let unavailable: string | undefined;
try {
  await import('@nutshell/backend-wasm');
  await useBackend('wasm');
} catch (e) {
  unavailable = (e as Error).message;
}

describe.skipIf(unavailable !== undefined)(
  `on the wasm backend${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('runs on wasm', () => {
      expect(tf.getBackend()).toBe('wasm');
    });
    it('LSTM forward (sequences, backwards, initial states, mask) and gradients', async () => {
      await checkForward({
        kind: 'lstm',
        batch: 3,
        steps: 4,
        features: 2,
        units: 3,
        returnSequences: true,
        goBackwards: true,
        withInitial: true,
        withMask: true,
      });
      await checkGradients({
        kind: 'lstm',
        batch: 2,
        steps: 4,
        features: 3,
        units: 3,
        withInitial: true,
        returnSequences: true,
      });
    });
    it('GRU (both formulations) forward and gradients', async () => {
      await checkForward({
        kind: 'gruBefore',
        batch: 2,
        steps: 4,
        features: 2,
        units: 3,
        withInitial: true,
        withMask: true,
      });
      await checkGradients({ kind: 'gru', batch: 2, steps: 3, features: 3, units: 3, withInitial: true });
    });
    it('SimpleRNN forward and gradients', async () => {
      await checkForward({
        kind: 'simple',
        batch: 2,
        steps: 5,
        features: 3,
        units: 4,
        returnSequences: true,
      });
      await checkGradients({ kind: 'simple', batch: 2, steps: 4, features: 2, units: 3, withInitial: true });
    });
    it('Embedding → LSTM agrees with the cpu backend', async () => {
      const make = () => {
        const e = new Embedding({ inputDim: 6, outputDim: 3, seed: 1 });
        const l = new LSTM({ units: 4, seed: 2 });
        return (ids: tf.Tensor) => tf.tidy(() => l.apply(e.apply(ids)));
      };
      const ids = [
        [1, 5, 2],
        [0, 3, 3],
      ];
      const onWasm = make()(tf.tensor2d(ids, undefined, 'int32'));
      const wasmValues = await read(onWasm);
      await useBackend('cpu');
      const onCpu = make()(tf.tensor2d(ids, undefined, 'int32'));
      const cpuValues = await read(onCpu);
      await useBackend('wasm');
      cpuValues.forEach((v, i) => expect(Math.abs(v - wasmValues[i])).toBeLessThan(1e-6));
    });
  },
);
