// The vanishing gradient: why deep networks were hard to train with sigmoid units.
//
// Two networks with 10 hidden layers each, identical except for the activation (sigmoid vs ReLU), train on the
// 8×8 digits while every step's gradient norms are recorded. The sigmoid's derivative is at most 0.25, so the
// gradient shrinks by a factor at every layer on its way back to the input; ReLU passes it through unchanged where
// the unit is active. Prints the first layer's gradient norm of each and writes the gradient-flow pictures.
//
//   pnpm --filter @nutshell/examples exec tsx src/vanishing-gradient.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArrayDataset, loadDigits } from '@nutshell/datasets';
import { Dense, Sequential } from '@nutshell/layers';
import { Trainer, sparseCategoricalCrossentropy, type DataSource, type History } from '@nutshell/train';
import {
  GradientFlowRecorder,
  composeFigures,
  createReport,
  figureSvgFile,
  figureToPng,
  gradientFlowChart,
  gradientFlowComparison,
  gradientNormsByLayer,
  trainingCurves,
  type Figure,
  type GradientNormRecord,
} from '@nutshell/viz';

/** Hidden layers of each network. */
export const DEPTH = 10;
const WIDTH = 32;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'output', 'vanishing-gradient');

/** A network of DEPTH hidden layers of one activation, then 10 logits; the same seeds for both activations. */
export function deepNet(activation: 'sigmoid' | 'relu'): Sequential {
  const hidden = Array.from(
    { length: DEPTH },
    (_, i) => new Dense({ units: WIDTH, activation, seed: 100 + i, name: `${activation}_${i + 1}` }),
  );
  return new Sequential([...hidden, new Dense({ units: 10, seed: 999, name: `${activation}_out` })], {
    inputShape: [64],
    name: `${DEPTH}x${activation}`,
  });
}

/** Trains one network with SGD, recording every step's gradient norms; frees the model and trainer. */
export async function train(
  activation: 'sigmoid' | 'relu',
  data: DataSource,
  epochs: number,
): Promise<{ history: History; records: GradientNormRecord[] }> {
  const model = deepNet(activation);
  const trainer = new Trainer(model, {
    loss: sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: 'sgd',
    learningRate: 0.1,
    metrics: ['accuracy'],
    seed: 1,
  });
  const recorder = new GradientFlowRecorder().attach(trainer);
  const history = await trainer.fit(data, { epochs, batchSize: 32, trackGradientNorms: true, seed: 1 });
  trainer.dispose();
  model.dispose();
  return { history, records: recorder.records };
}

/** Mean gradient norm of each layer (first = nearest the input) per network, and the pictures when `write`. */
export async function main(
  opts: { epochs?: number; limit?: number; write?: boolean; log?: (line: string) => void } = {},
) {
  const { epochs = 5, write = true, log = console.log } = opts;
  const data = new ArrayDataset(loadDigits(), { shape: [64] });
  // The first `limit` digits only (a quick run for tests).
  const sized: DataSource = opts.limit
    ? { size: Math.min(opts.limit, data.size), gather: (i) => data.gather(i) }
    : data;
  const sigmoid = await train('sigmoid', sized, epochs);
  const relu = await train('relu', sized, epochs);
  const norms = {
    sigmoid: gradientNormsByLayer(sigmoid.records).mean,
    relu: gradientNormsByLayer(relu.records).mean,
  };

  if (write) {
    mkdirSync(OUT, { recursive: true });
    const save = async (name: string, fig: Figure) => {
      writeFileSync(join(OUT, `${name}.svg`), figureSvgFile(fig));
      writeFileSync(join(OUT, `${name}.png`), await figureToPng(fig));
    };
    const comparison = gradientFlowComparison(
      { [`${DEPTH} sigmoid layers`]: sigmoid.records, [`${DEPTH} ReLU layers`]: relu.records },
      { title: 'Vanishing gradient: mean gradient norm by depth' },
    );
    const flows = composeFigures(
      [
        gradientFlowChart(sigmoid.records, { title: 'Sigmoid network' }),
        gradientFlowChart(relu.records, { title: 'ReLU network' }),
      ],
      { columns: 1 },
    );
    const curves = composeFigures(
      [
        trainingCurves(sigmoid.history, { title: 'Sigmoid network' }),
        trainingCurves(relu.history, { title: 'ReLU network' }),
      ],
      { columns: 1 },
    );
    await save('comparison', comparison);
    await save('gradient-flow', flows);
    await save('training-curves', curves);
    writeFileSync(
      join(OUT, 'report.html'),
      createReport({
        title: 'The vanishing gradient',
        subtitle: `${DEPTH} hidden layers of ${WIDTH} units, sigmoid vs ReLU, ${epochs} epochs of SGD (learning rate 0.1) on the 8×8 digits`,
        sections: [
          {
            title: 'Gradient norm by depth',
            text: 'Layer 1 is nearest the input. The sigmoid network’s gradient shrinks by orders of magnitude on its way back; the ReLU network’s stays within one.',
            figures: [comparison],
          },
          { title: 'Over training', figures: [flows] },
          { title: 'Training curves', figures: [curves] },
        ],
      }),
    );
  }
  for (const [name, run] of [
    ['sigmoid', sigmoid],
    ['relu', relu],
  ] as const) {
    const g = norms[name];
    const acc = run.history.logs.accuracy!;
    log(
      `${name.padEnd(7)}  first layer |g| = ${g[0]!.toExponential(2)}   last hidden layer |g| = ${g[DEPTH - 1]!.toExponential(2)}   ` +
        `ratio first/last = ${(g[0]! / g[DEPTH - 1]!).toExponential(1)}   train accuracy after ${epochs} epochs = ${acc[acc.length - 1]!.toFixed(3)}`,
    );
  }
  if (write) log(`wrote ${OUT}/{comparison,gradient-flow,training-curves}.{svg,png} and report.html`);
  return norms;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
