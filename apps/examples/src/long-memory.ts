// Long memory: an LSTM or GRU learns to remember a symbol for hundreds of steps; a simple RNN does not.
//
// The task ("recall the first symbol"): each sequence is `length` random symbols out of 4, one-hot, with a
// marker on the first step; the answer is the first symbol, so the other `length − 1` symbols are distractors
// and the answer depends only on something `length − 1` steps back. Guessing gives 25% (the baseline). For each
// length (10, 50, 100, 200) and each cell type (SimpleRNN, LSTM, GRU; 16 units), a fresh model trains from
// scratch on the same data with the same budget (Adam), and we report held-out accuracy.
//
// The gated cells start with "chrono" biases (Tallec & Ollivier 2018): each unit's forget gate (GRU: update
// gate) is biased to keep its memory for a random time scale of up to `length` steps, and the LSTM's input gate
// to stay closed. That is the gated cells' whole advantage, and it is only an initial value: a gate is a learned
// switch on an additive memory path, so the error signal from the answer reaches step 1 undiminished while the
// gate is open. A simple RNN has no such switch; its memory passes through tanh and the recurrent matrix at
// every step, so the signal shrinks geometrically with distance (the vanishing gradient, now through time). The
// second picture shows that: ‖∂loss/∂x_t‖ for every step t, at initialisation (including an LSTM with Keras'
// default forget bias of 1, which forgets within a few steps and vanishes too) and after training.
//
//   pnpm example long-memory                  # all lengths: about 5 min of CPU time (the README has the table)
//   pnpm example long-memory --quick          # lengths 10 and 50
//   pnpm example long-memory --cells LSTM     # one cell type (run the three side by side; each redraws the figure
//                                             # with every result saved so far under the same settings)
//   pnpm example long-memory --plot           # only redraw the figure from the saved results
//   pnpm example long-memory --figures DIR    # also copy the PNG figures into DIR
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dense, Sequential, registerInitializer, type Initializer } from '@nutshell/layers';
import { GRU, LSTM, SimpleRNN, traceLSTM, type RNN } from '@nutshell/recurrent';
import { Rng, tf, type Tensor } from '@nutshell/tensor';
import { Trainer, sparseCategoricalCrossentropy } from '@nutshell/train';
import {
  composeFigures,
  figureSvgFile,
  figureToPng,
  gateHeatmaps,
  lstmGateRows,
  lineChart,
  type Figure,
} from '@nutshell/viz';

/** Symbols to remember. */
export const SYMBOLS = 4;
const UNITS = 16;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'output', 'long-memory');
/** The cell types compared. */
export const CELLS = ['SimpleRNN', 'LSTM', 'GRU'] as const;
export type CellName = (typeof CELLS)[number];

/** `count` sequences of `length` steps, `[count, length, SYMBOLS + 1]` (last channel: the first-step marker), and the first symbols. */
export function recallFirstData(count: number, length: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const f = SYMBOLS + 1;
  const xs = new Float32Array(count * length * f);
  const ys = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    for (let t = 0; t < length; t++) {
      const s = rng.nextInt(SYMBOLS);
      xs[(n * length + t) * f + s] = 1;
      if (t === 0) {
        xs[n * length * f + SYMBOLS] = 1;
        ys[n] = s;
      }
    }
  }
  return { x: tf.tensor3d(xs, [count, length, f]), y: tf.tensor1d(ys, 'int32') };
}

/**
 * Chrono initialisation of a gated cell's bias (Tallec & Ollivier, "Can recurrent neural networks warp time?",
 * 2018): unit k's forget gate (GRU: update gate z, where h' = z⊙h + (1 − z)⊙h̃) gets bias b_k = ln(u_k),
 * u_k uniform in [1, maxSteps − 1], so σ(b_k) = 1 − 1/(1 + u_k): unit k keeps its memory for about u_k steps.
 * The LSTM's input gate gets −b_k (closed until the input says otherwise); every other bias is 0.
 * Bias layouts are Keras' (LSTM gates i, f, c, o; GRU z, r, h with `resetAfter`'s input row first).
 */
export function chronoBias(cell: 'LSTM' | 'GRU', units: number, maxSteps: number, seed = 3): Initializer {
  return {
    className: 'chronoBias',
    config: { cell, units, maxSteps, seed },
    init(shape) {
      const rng = new Rng(seed);
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let k = 0; k < units; k++) {
        const b = Math.log(1 + rng.nextFloat() * Math.max(0, maxSteps - 2));
        if (cell === 'LSTM') {
          values[k] = -b; // input gate i
          values[units + k] = b; // forget gate f
        } else {
          values[k] = b; // update gate z, input-side bias row
        }
      }
      return tf.tensor(values, [...shape]);
    },
  };
}

// So a saved recall model (its config names 'chronoBias') loads again with modelFromConfig.
registerInitializer('chronoBias', (c) =>
  chronoBias(c.cell as 'LSTM' | 'GRU', c.units as number, c.maxSteps as number, c.seed as number),
);

/** The recurrent layer of `cell`; `'LSTM (forget bias 1)'` is Keras' default LSTM, for the gradient picture. */
function recurrent(cell: CellName | 'LSTM (forget bias 1)', length: number): RNN {
  const name = cell === 'SimpleRNN' ? 'simplernn' : cell.startsWith('LSTM') ? 'lstm' : 'gru';
  const args = { units: UNITS, seed: 7, name };
  if (cell === 'SimpleRNN') return new SimpleRNN(args);
  if (cell === 'LSTM (forget bias 1)') return new LSTM(args);
  const biasInitializer = chronoBias(cell, UNITS, length);
  return cell === 'LSTM'
    ? new LSTM({ ...args, biasInitializer, unitForgetBias: false })
    : new GRU({ ...args, biasInitializer });
}

/** A recurrent layer of `cell` (the gated ones chrono-initialised for `length`) then 4 logits. */
export function recallModel(cell: CellName | 'LSTM (forget bias 1)', length: number): Sequential {
  return new Sequential([recurrent(cell, length), new Dense({ units: SYMBOLS, seed: 8, name: 'logits' })], {
    inputShape: [null, SYMBOLS + 1],
    name: `recall_${cell.replace(/\W+/g, '_')}`,
  });
}

/**
 * Trains a fresh model of `cell` at one length and returns its held-out accuracy, the accuracy after each epoch,
 * and the trained model (the caller disposes it).
 */
export async function trainAtLength(
  cell: CellName,
  length: number,
  opts: { train: number; epochs: number; test: number },
): Promise<{ accuracy: number; curve: number[]; model: Sequential }> {
  const model = recallModel(cell, length);
  const trainer = new Trainer(model, {
    loss: sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: 'adam',
    learningRate: 0.01,
    metrics: ['accuracy'],
    seed: 1,
  });
  const train = recallFirstData(opts.train, length, 10 + length);
  const test = recallFirstData(opts.test, length, 100_000 + length);
  const curve: number[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    await trainer.fit(train, { epochs: 1, batchSize: 32, seed: epoch });
    curve.push((await trainer.evaluate(test)).accuracy!);
  }
  tf.dispose([train.x, train.y, test.x, test.y]);
  trainer.dispose();
  return { accuracy: curve[curve.length - 1]!, curve, model };
}

/**
 * ‖∂ loss / ∂ x_t‖ for every step t of `length`-step sequences: how much of the error signal from the answer at
 * the end reaches step t.
 */
export async function gradientReachingStep(model: Sequential, length: number): Promise<number[]> {
  const { x, y } = recallFirstData(32, length, 3);
  const loss = sparseCategoricalCrossentropy({ fromLogits: true });
  const g = tf.grad((input: Tensor) => tf.tidy(() => loss(y, model.apply(input)) as Tensor))(x);
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(g), [0, 2])));
  const values = Array.from(await norms.data());
  tf.dispose([x, y, g, norms]);
  return values;
}

/** A trained LSTM's gates and memory over one sequence of `length` steps. */
async function gatePicture(lstm: LSTM, length: number): Promise<Figure> {
  const { x, y } = recallFirstData(1, length, 4);
  const t = await traceLSTM(lstm, x);
  tf.dispose([x, y]);
  return gateHeatmaps(lstmGateRows(t), {
    title: `Trained LSTM, recall the first symbol: gates and memory over ${length} steps`,
    unitHeight: 8,
  });
}

/** What {@link main} measured. */
export interface LongMemoryResult {
  /** Held-out accuracy by cell, one per length. */
  readonly accuracy: Record<string, number[]>;
  /** Accuracy after each epoch, by cell and length. */
  readonly curves: Record<string, number[][]>;
  /** ‖∂loss/∂x_t‖ over the steps of the longest length, before training, by cell. */
  readonly gradientsAtInit: Record<string, number[]>;
  /** The same after training at the longest length, by cell. */
  readonly gradientsTrained: Record<string, number[]>;
  /** Seconds of training by cell and length. */
  readonly seconds: Record<string, number[]>;
}

/** Runs the comparison and writes the figures. */
export async function main(
  opts: {
    lengths?: number[];
    train?: number;
    epochs?: number;
    test?: number;
    cells?: readonly CellName[];
    write?: boolean;
    figures?: string;
    /** Train nothing: redraw the figure from the results saved by earlier runs with the same settings. */
    plotOnly?: boolean;
    log?: (line: string) => void;
  } = {},
): Promise<LongMemoryResult> {
  const {
    lengths = [10, 50, 100, 200],
    train = 2048,
    epochs = 8,
    test = 512,
    write = true,
    log = console.log,
  } = opts;
  const cells = opts.plotOnly ? [] : (opts.cells ?? CELLS);
  const longest = Math.max(...lengths);
  const result: LongMemoryResult = {
    accuracy: {},
    curves: {},
    gradientsAtInit: {},
    gradientsTrained: {},
    seconds: {},
  };
  log(
    `recall the first of ${SYMBOLS} symbols; guessing gives 25%; each model trains from scratch on ${train} sequences × ${epochs} epochs (batch 32, Adam 0.01), held-out ${test}`,
  );
  const atInit = cells.includes('LSTM') ? [...cells, 'LSTM (forget bias 1)' as const] : cells;
  for (const cell of atInit) {
    const model = recallModel(cell, longest);
    result.gradientsAtInit[cell] = await gradientReachingStep(model, longest);
    model.dispose();
  }
  let gates: Figure | undefined;
  for (const cell of cells) {
    result.accuracy[cell] = [];
    result.curves[cell] = [];
    result.seconds[cell] = [];
    for (const length of lengths) {
      const started = Date.now();
      const { accuracy, curve, model } = await trainAtLength(cell, length, { train, epochs, test });
      const seconds = (Date.now() - started) / 1000;
      result.accuracy[cell].push(accuracy);
      result.curves[cell].push(curve);
      result.seconds[cell].push(seconds);
      log(
        `${cell.padEnd(9)} ${String(length).padStart(3)} steps: ${(100 * accuracy).toFixed(1).padStart(5)}%   (by epoch: ${curve.map((a) => (100 * a).toFixed(0)).join(' ')}; ${seconds.toFixed(0)} s)`,
      );
      if (length === longest) {
        result.gradientsTrained[cell] = await gradientReachingStep(model, longest);
        if (cell === 'LSTM' && write) gates = await gatePicture(model.layers[0] as LSTM, longest);
      }
      model.dispose();
    }
  }
  for (const [when, grads] of [
    ['at initialisation', result.gradientsAtInit],
    ['after training', result.gradientsTrained],
  ] as const) {
    for (const [cell, g] of Object.entries(grads)) {
      log(
        `${cell.padEnd(21)} ${when.padEnd(17)} ‖∂loss/∂x_t‖ at t = 1: ${g[0]!.toExponential(2)}, at t = ${longest}: ${g[longest - 1]!.toExponential(2)} (ratio ${(g[0]! / g[longest - 1]!).toExponential(1)})`,
      );
    }
  }
  if (write) {
    const settings = { lengths, train, epochs, test };
    mkdirSync(OUT, { recursive: true });
    if (cells.length)
      writeFileSync(join(OUT, `result-${cells.join('-')}.json`), `${JSON.stringify({ settings, result })}\n`);
    await writeFigures(mergeSaved(settings, result), lengths, gates, opts.figures, log);
  }
  return result;
}

/**
 * `result` merged with the results that other runs of this program (`--cells LSTM`, `--cells GRU`, ... run side
 * by side) saved with the same settings, so the figure shows every cell measured.
 */
function mergeSaved(settings: object, result: LongMemoryResult): LongMemoryResult {
  const merged = structuredClone(result) as { [K in keyof LongMemoryResult]: Record<string, unknown> };
  for (const file of readdirSync(OUT).filter((f) => /^result-.*\.json$/.test(f))) {
    const saved = JSON.parse(readFileSync(join(OUT, file), 'utf8')) as {
      settings: object;
      result: LongMemoryResult;
    };
    if (JSON.stringify(saved.settings) !== JSON.stringify(settings)) continue;
    for (const key of Object.keys(merged) as (keyof LongMemoryResult)[]) {
      for (const [cell, v] of Object.entries(saved.result[key])) merged[key][cell] ??= v;
    }
  }
  return merged as unknown as LongMemoryResult;
}

/** The entries of a by-cell record in one order (a cell's colour is then the same in every chart). */
function ordered<T>(byCell: Record<string, T>): [string, T][] {
  const order = ['SimpleRNN', 'LSTM', 'GRU', 'LSTM (forget bias 1)'];
  return Object.entries(byCell).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
}

async function writeFigures(
  result: LongMemoryResult,
  lengths: number[],
  gates: Figure | undefined,
  copyTo: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const longest = Math.max(...lengths);
  const steps = Array.from({ length: longest }, (_, i) => i + 1);
  const gradientChart = (title: string, grads: Record<string, number[]>) =>
    lineChart({
      title,
      series: ordered(grads).map(([name, y]) => ({ name, x: steps, y })),
      xLabel: `step t (the answer is read after step ${longest})`,
      yLabel: '‖∂ loss / ∂ x_t‖',
      yScale: 'log',
    });
  const figure: Figure = composeFigures(
    [
      lineChart({
        title: 'Recall the first symbol: held-out accuracy',
        series: [
          ...ordered(result.accuracy).map(([name, y]) => ({ name, x: lengths, y })),
          { name: 'guessing', x: lengths, y: lengths.map(() => 1 / SYMBOLS), dashed: true, color: '#888' },
        ],
        xLabel: 'sequence length (steps back to remember)',
        yLabel: 'accuracy',
        yDomain: [0, 1],
      }),
      gradientChart(`Gradient reaching step t, untrained`, result.gradientsAtInit),
      gradientChart(`Gradient reaching step t, trained`, result.gradientsTrained),
    ],
    { columns: 3 },
  );
  const files = [['long-memory', figure] as const, ...(gates ? [['lstm-gates', gates] as const] : [])];
  for (const [name, fig] of files) {
    writeFileSync(join(OUT, `${name}.svg`), figureSvgFile(fig));
    writeFileSync(join(OUT, `${name}.png`), await figureToPng(fig));
    if (copyTo) {
      mkdirSync(copyTo, { recursive: true });
      copyFileSync(join(OUT, `${name}.png`), join(copyTo, `${name}.png`));
    }
  }
  log(
    `wrote ${OUT}/{${files.map(([n]) => n).join(',')}}.{svg,png}${copyTo ? `; PNGs copied to ${copyTo}` : ''}`,
  );
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const lengths = flag('--lengths')?.split(',').map(Number);
  const cells = flag('--cells')?.split(',') as CellName[] | undefined;
  await main({
    ...(process.argv.includes('--quick') ? { lengths: [10, 50] } : {}),
    ...(lengths ? { lengths } : {}),
    ...(cells ? { cells } : {}),
    ...(flag('--figures') ? { figures: flag('--figures') } : {}),
    plotOnly: process.argv.includes('--plot'),
  });
}
