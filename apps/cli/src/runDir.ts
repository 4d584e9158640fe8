import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScalerJSON } from '@nutshell/datasets';
import { UsageError } from './errors.js';

/**
 * A run folder: everything a training run leaves behind, so it can be evaluated, used for prediction and resumed.
 *
 * ```
 * <run>/config.json        recipe, hyperparameters, seed, backend, scaler
 * <run>/metrics.csv        one row per epoch: epoch, loss, accuracy, lr, seconds
 * <run>/checkpoints/       the Trainer's run checkpoints (weights, optimizer, RNG, data order) for --resume
 * <run>/model/             the trained model (model.json + model.safetensors, @nutshell/layers saveModel)
 * <run>/test-metrics.json  the final test metrics
 * <run>/.lock              while a process writes the run: its pid, host and start time (see runLock.ts)
 * ```
 */
export interface RunConfig {
  readonly recipe: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly optimizer: string;
  readonly seed: number;
  readonly limit?: number;
  readonly backend: string;
  readonly createdAt: string;
  readonly scaler?: ScalerJSON;
  /** Steps between checkpoints (`--checkpoint-every`), kept so a resume checkpoints as the run did. */
  readonly checkpointEvery?: number;
}

/** Paths inside a run folder. */
export function runPaths(dir: string) {
  return {
    dir,
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.csv'),
    checkpoints: join(dir, 'checkpoints'),
    model: join(dir, 'model'),
    testMetrics: join(dir, 'test-metrics.json'),
  };
}

/** A default run folder name: runs/<recipe>-<UTC timestamp>. */
export function defaultRunDir(recipe: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
  return join('runs', `${recipe}-${stamp}`);
}

/** Writes config.json (creating the folder). */
export function writeConfig(dir: string, config: RunConfig): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(runPaths(dir).config, `${JSON.stringify(config, null, 2)}\n`);
}

/** Reads config.json, or a usage error saying the folder is not a run folder. */
export function readConfig(dir: string): RunConfig {
  const path = runPaths(dir).config;
  if (!existsSync(path))
    throw new UsageError(
      `'${dir}' is not a run folder: ${path} does not exist (make one with nutshell train).`,
    );
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunConfig;
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Whether the run folder's checkpoints/ holds at least one checkpoint file (the Trainer writes `step-*.ckpt`). */
export function hasCheckpoint(dir: string): boolean {
  const path = runPaths(dir).checkpoints;
  return existsSync(path) && readdirSync(path).some((f) => f.endsWith('.ckpt'));
}

/** Appends epoch rows to metrics.csv, writing the header first when the file is new. */
export class MetricsCsv {
  private columns: string[] | null = null;

  constructor(private readonly path: string) {
    if (existsSync(path)) {
      const first = readFileSync(path, 'utf8').split('\n')[0];
      if (first) this.columns = first.split(',');
    }
  }

  /**
   * Drops the rows after `epochs` completed epochs (the `epoch` column counts them), so that the log agrees with
   * the checkpoint a resume continues from and no epoch is listed twice.
   */
  truncateAfter(epochs: number): void {
    if (!existsSync(this.path)) return;
    const [head, ...rows] = readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    if (!head) return;
    const at = head.split(',').indexOf('epoch');
    const kept = rows.filter((r) => at < 0 || Number(r.split(',')[at]) <= epochs);
    if (kept.length !== rows.length) writeFileSync(this.path, [head, ...kept].map((l) => `${l}\n`).join(''));
  }

  /** Appends one epoch's row. */
  append(row: Record<string, number>): void {
    if (!this.columns) {
      this.columns = Object.keys(row);
      writeFileSync(this.path, `${this.columns.join(',')}\n`);
    }
    appendFileSync(
      this.path,
      `${this.columns.map((c) => (row[c] === undefined ? '' : String(row[c]))).join(',')}\n`,
    );
  }
}
