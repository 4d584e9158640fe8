import { describe, expect, it } from 'vitest';
import { UnknownLayerError } from './errors.js';
import { modelFromConfig } from './models/fromConfig.js';

describe('loading a saved model whose layers come from a package not imported', () => {
  it('a CNN without @nutshell/conv says to import it', () => {
    const cnn = {
      className: 'Sequential',
      name: 'lenet',
      layers: [{ className: 'Conv2D', name: 'conv2d_1', filters: 6, kernelSize: 5 }],
    };
    const err = (() => {
      try {
        modelFromConfig(cnn);
      } catch (e) {
        return e as UnknownLayerError;
      }
    })();
    expect(err).toBeInstanceOf(UnknownLayerError);
    expect(err?.packageName).toBe('@nutshell/conv');
    expect(err?.message).toBe(
      "Unknown layer class 'Conv2D' in config: it comes from @nutshell/conv. Import it once before loading (import '@nutshell/conv';), and install it if needed (npm install @nutshell/conv).",
    );
  });

  it('a recurrent layer names @nutshell/recurrent; a class of no Nutshell package lists the known ones', () => {
    expect(() =>
      modelFromConfig({
        className: 'Sequential',
        name: 's',
        layers: [{ className: 'LSTM', name: 'lstm_1' }],
      }),
    ).toThrow(
      "it comes from @nutshell/recurrent. Import it once before loading (import '@nutshell/recurrent';)",
    );
    expect(() =>
      modelFromConfig({ className: 'Sequential', name: 's', layers: [{ className: 'Conv9D', name: 'c' }] }),
    ).toThrow(/Known: InputLayer, Dense/);
  });
});
