import { tf, type Tensor } from '@nutshell/tensor';
import {
  confusionMatrix,
  confusionMatrixChart,
  perClassAccuracyChart,
  type LabelsLike,
} from './confusionMatrix.js';
import { featureMaps } from './featureMaps.js';
import { figureSvgFile, figureToPng, type Figure } from './figure.js';
import { filterGrid } from './filterGrid.js';
import { gradientFlowChart, type GradientNormRecord } from './gradientFlow.js';
import { networkDiagram } from './networkDiagram.js';
import { createReport, type ReportSection } from './report.js';
import { assertHistory, trainingCurves, type HistoryLike } from './trainingCurves.js';
import type { ModelLike } from './types.js';
import { batchCurves } from './batchCurves.js';
import type { BatchRecord } from './batchCurves.js';

/** What a run's report and pictures are made from. Only `history` is required. @public */
export interface RunReportInput {
  /** Heading of the report (default `Training report`). */
  readonly title?: string;
  /** The training history (at least one finished epoch). */
  readonly history: HistoryLike;
  /** The trained model: gives the network diagram, the filters of its convolution layers and feature maps. */
  readonly model?: ModelLike;
  /** A few examples (`[n, ...input shape]`, e.g. test images) pushed through the model for feature maps. */
  readonly examples?: Tensor;
  /** How many of `examples` get feature maps (default 2). */
  readonly featureMapExamples?: number;
  /** True labels and predictions (labels, or `[n, classes]` scores) on held-out data, for the confusion matrix. */
  readonly evaluation?: {
    readonly labels: LabelsLike;
    readonly predictions: LabelsLike;
    /** For `[n, 1]` binary scores: class 1 above this (default 0, logits). */
    readonly binaryThreshold?: number;
  };
  /** Gradient norms recorded during training (see `GradientFlowRecorder`). */
  readonly gradientNorms?: readonly GradientNormRecord[];
  /** Each training batch's loss and metrics: drawn per step while fewer than two epochs have finished. */
  readonly batches?: readonly BatchRecord[];
  /** Names of the classes, by index, for the confusion matrix and the class scores. */
  readonly classNames?: readonly string[];
  /** Facts shown at the top (configuration, final metrics, backend, ...). */
  readonly facts?: Readonly<Record<string, string | number>>;
  /**
   * More pictures the caller draws, asked for each time the report is made (so they show the model as it is
   * then): an LSTM's gates over one sequence, for example. They follow the built-in ones.
   */
  readonly moreFigures?: () => Promise<readonly NamedFigure[]>;
}

/** A figure of a run with a file-friendly name and the report section it belongs to. @public */
export interface NamedFigure {
  /** File stem, e.g. `filters-conv2d_1`. */
  readonly name: string;
  /** The report section it belongs to (`Training`, `Filters`, ...). */
  readonly section: string;
  /** The picture. */
  readonly figure: Figure;
  /** The text under the section heading, for a section the report does not know (its own sections have theirs). */
  readonly sectionText?: string;
}

function hasKernel(layer: ModelLike['layers'][number]): boolean {
  return layer.weights.some((w) => w.variable.rank === 4);
}

/**
 * Every picture of a run: training curves, the confusion matrix and per-class accuracy, gradient flow, the network
 * diagram, the filters of each convolution layer and the feature maps of a few examples, then the caller's
 * `moreFigures`. Leaves no tensor behind.
 * @throws VizError for an empty history
 * @public
 */
export async function runFigures(input: RunReportInput): Promise<NamedFigure[]> {
  assertHistory('runFigures', input.history);
  const out: NamedFigure[] = [];
  // One epoch gives per-epoch curves of single dots: draw the batches instead, while there are fewer than two.
  const perBatch = input.history.epochs.length < 2 && (input.batches?.length ?? 0) >= 2;
  out.push({
    name: 'training-curves',
    section: 'Training',
    figure: perBatch ? batchCurves(input.batches!) : trainingCurves(input.history),
  });
  if (input.evaluation) {
    const m = await confusionMatrix(
      input.evaluation.labels,
      input.evaluation.predictions,
      input.classNames?.length,
      { binaryThreshold: input.evaluation.binaryThreshold },
    );
    out.push({
      name: 'confusion-matrix',
      section: 'Evaluation',
      figure: confusionMatrixChart(m, { classNames: input.classNames }),
    });
    out.push({
      name: 'per-class-accuracy',
      section: 'Evaluation',
      figure: perClassAccuracyChart(m, { classNames: input.classNames }),
    });
  }
  if (input.gradientNorms?.length)
    out.push({
      name: 'gradient-flow',
      section: 'Gradient flow',
      figure: gradientFlowChart(input.gradientNorms),
    });
  const model = input.model;
  if (model) {
    out.push({ name: 'network', section: 'Network', figure: networkDiagram(model) });
    for (const layer of model.layers.filter(hasKernel)) {
      out.push({ name: `filters-${layer.name}`, section: 'Filters', figure: await filterGrid(layer) });
    }
    if (input.examples) {
      const n = Math.min(input.featureMapExamples ?? 2, input.examples.shape[0] ?? 0);
      for (let i = 0; i < n; i++) {
        const x = tf.slice(input.examples, i, 1);
        try {
          const fig = await featureMaps(model, x, {
            classNames: input.classNames,
            title: `Feature maps of example ${i}`,
          });
          out.push({ name: `feature-maps-${i}`, section: 'Feature maps', figure: fig });
        } finally {
          x.dispose();
        }
      }
    }
  }
  if (input.moreFigures) out.push(...(await input.moreFigures()));
  return out;
}

const SECTION_TEXT: Record<string, string> = {
  Training: 'Loss and metrics per epoch, on the training data (solid) and the validation data (dashed).',
  Evaluation: 'Rows are true classes, columns predicted ones; the diagonal holds the correct answers.',
  'Gradient flow':
    'Gradient norm of each layer over the training steps: a vanishing gradient shows as early layers far below the last.',
  Network:
    'The layers in order, with output shapes and parameter counts; parallel branches sit side by side.',
  Filters:
    'The learned kernels. Red weights are positive, blue negative; each filter is scaled to its own largest weight. First-layer filters are the edge and blob detectors the later layers combine.',
  'Feature maps':
    'One input pushed through the network: every layer’s activations, from pixels through edge maps to class scores.',
};

/**
 * The HTML report of a run (see {@link runFigures} for what it shows), self-contained.
 * @public
 */
export async function buildRunReport(
  input: RunReportInput,
  opts: { refreshSeconds?: number } = {},
): Promise<string> {
  const figures = await runFigures(input);
  const sections: ReportSection[] = [];
  const last: Record<string, number> = {};
  for (const [k, v] of Object.entries(input.history.logs)) if (v.length) last[k] = v[v.length - 1]!;
  sections.push({ title: 'Run', facts: { epochs: input.history.epochs.length, ...input.facts, ...last } });
  const perBatch = input.history.epochs.length < 2 && (input.batches?.length ?? 0) >= 2;
  const validated = Object.keys(input.history.logs).some((k) => k.startsWith('val_'));
  // Say only what the curves show: per batch or per epoch, with validation only when there was some.
  const trainingText = perBatch
    ? 'Loss and metrics of each training batch against the step (with a running mean): fewer than two epochs have finished, so per-epoch curves would be single points.'
    : validated
      ? SECTION_TEXT.Training
      : 'Loss and metrics per epoch, on the training data.';
  for (const f of figures) {
    let s = sections.find((x) => x.title === f.section) as
      { title: string; text?: string; figures: Figure[] } | undefined;
    if (!s) {
      const text = f.section === 'Training' ? trainingText : (SECTION_TEXT[f.section] ?? f.sectionText);
      s = { title: f.section, text, figures: [] };
      sections.push(s);
    }
    s.figures.push(f.figure);
  }
  return createReport({
    title: input.title ?? 'Training report',
    subtitle: `${input.model ? `${input.model.name} · ` : ''}updated ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    sections,
    refreshSeconds: opts.refreshSeconds,
  });
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const fs = await import('node:fs/promises');
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

/**
 * Writes `report.html` into a run folder (Node only), replacing it atomically so a browser never reads half a file.
 * @returns the report's path
 * @public
 */
export async function writeRunReport(
  runDir: string,
  input: RunReportInput,
  opts: { refreshSeconds?: number; fileName?: string } = {},
): Promise<string> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  await fs.mkdir(runDir, { recursive: true });
  const file = path.join(runDir, opts.fileName ?? 'report.html');
  await writeAtomically(file, await buildRunReport(input, opts));
  return file;
}

/** Options of {@link visualizeRun}. @public */
export interface VisualizeRunOptions {
  /** Where the files go (default `<runDir>/visualize`). */
  outDir?: string;
  /** Which files to write per figure (default both). */
  formats?: readonly ('svg' | 'png')[];
  /** PNG pixels per CSS pixel (default 2). */
  pngScale?: number;
}

/**
 * Writes every picture of a run as SVG and PNG files, plus `report.html`, into `<runDir>/visualize` (Node only):
 * `training-curves`, `confusion-matrix`, `per-class-accuracy`, `gradient-flow`, `network`, `filters-<layer>`,
 * `feature-maps-<i>`. What `nutshell visualize <run dir>` calls.
 * @returns the paths written
 * @public
 */
export async function visualizeRun(
  runDir: string,
  input: RunReportInput,
  opts: VisualizeRunOptions = {},
): Promise<string[]> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const outDir = opts.outDir ?? path.join(runDir, 'visualize');
  await fs.mkdir(outDir, { recursive: true });
  const formats = opts.formats ?? ['svg', 'png'];
  const written: string[] = [];
  for (const { name, figure } of await runFigures(input)) {
    if (formats.includes('svg')) {
      const f = path.join(outDir, `${name}.svg`);
      await writeAtomically(f, figureSvgFile(figure));
      written.push(f);
    }
    if (formats.includes('png')) {
      const f = path.join(outDir, `${name}.png`);
      await writeAtomically(f, await figureToPng(figure, { scale: opts.pngScale ?? 2 }));
      written.push(f);
    }
  }
  written.push(await writeRunReport(outDir, input));
  return written;
}
