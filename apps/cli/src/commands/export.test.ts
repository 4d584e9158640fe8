// `nutshell export`: the recipes' networks run the same in ONNX Runtime; a trained run exports end to end (built CLI).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Standardizer } from '@nutshell/datasets';
import { loadModel } from '@nutshell/layers';
import { exportOnnx } from '@nutshell/onnx';
import { randomNormal, randomUniform, tf } from '@nutshell/tensor';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { RECIPES } from '../recipes/index.js';
import type { RunConfig } from '../runDir.js';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nutshell-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function nutshell(...args: string[]) {
  const env = { ...process.env };
  delete env.NUTSHELL_BACKEND;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: tmp,
    env,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function runOnnx(bytes: Uint8Array | string, x: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes as Uint8Array);
  const out = await session.run({ input: new ort.Tensor('float32', x, shape) });
  await session.release();
  return out.output.data as Float32Array;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

describe("nutshell export: every recipe's network gives Nutshell's outputs in ONNX Runtime", () => {
  for (const recipe of RECIPES.values()) {
    it(recipe.name, async () => {
      const model = recipe.buildModel(3);
      const x = recipe.name.startsWith('mnist')
        ? randomUniform([4, ...recipe.sampleShape], { seed: 1 })
        : randomNormal([4, ...recipe.sampleShape], { seed: 1 });
      const y = model.predict(x);
      const onnx = await runOnnx(await exportOnnx(model), (await x.data()) as Float32Array, [...x.shape]);
      expect(onnx.length).toBe(y.size);
      expect(maxDiff(onnx, (await y.data()) as Float32Array)).toBeLessThan(1e-5);
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});

describe('nutshell export <run dir> --format onnx', () => {
  it('writes model.onnx and model.onnx.md; raw features scaled as the .md says give the saved model’s logits', async () => {
    const run = join(tmp, 'logreg');
    const t = nutshell('train', 'logreg-cancer', '--epochs', '1', '--out', run, '--backend', 'cpu');
    expect(t.code, t.stderr).toBe(0);
    const e = nutshell('export', run, '--format', 'onnx');
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain(`wrote ${join(run, 'model.onnx')} (ONNX opset 17`);
    const doc = readFileSync(join(run, 'model.onnx.md'), 'utf8');
    expect(doc).toContain('shape `[batch, 30]`');
    const { a, b } = JSON.parse(doc.split('```json\n')[1].split('\n```')[0]) as { a: number[]; b: number[] };
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as RunConfig;
    expect(a).toEqual(config.scaler!.a);
    // Raw features (around the training means), scaled by the documented rule, through ONNX and through Nutshell.
    const raw = Float32Array.from({ length: 3 * 30 }, (_, i) => a[i % 30] + b[i % 30] * Math.sin(i));
    const scaled = Standardizer.fromJSON(config.scaler!).transform({ x: raw, featureShape: [30] }).x;
    const byRule = Float32Array.from(raw, (v, i) => (v - a[i % 30]) / b[i % 30]);
    expect(maxDiff(byRule, scaled)).toBeLessThan(1e-6);
    const model = await loadModel(join(run, 'model'));
    const x = tf.tensor(scaled, [3, 30]);
    const y = model.predict(x);
    expect(
      maxDiff(await runOnnx(join(run, 'model.onnx'), byRule, [3, 30]), (await y.data()) as Float32Array),
    ).toBeLessThan(1e-5);
    tf.dispose([x, y]);
    model.dispose();

    const custom = join(tmp, 'out', 'lr.onnx');
    expect(nutshell('export', run, '--format', 'onnx', '--out', custom).code).toBe(0);
    expect(existsSync(custom) && existsSync(`${custom}.md`)).toBe(true);
  }, 60_000);

  it('bad input: an unknown format, a folder that is not a run, --out a folder (exit 2, one line each)', () => {
    const bad = nutshell('export', tmp, '--format', 'tflite');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("nutshell: error: unknown export format 'tflite'. Choose one of: onnx.");
    const notRun = nutshell('export', tmp, '--format', 'onnx');
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toContain(`'${tmp}' is not a run folder`);
    const missing = nutshell('export', join(tmp, 'logreg'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--format <format>' not specified");
    const folder = nutshell('export', join(tmp, 'logreg'), '--format', 'onnx', '--out', tmp);
    expect(folder.code).toBe(2);
    expect(folder.stderr.trim()).toBe(
      `nutshell: error: --out ${tmp} is a folder; give a file name such as ${join(tmp, 'model.onnx')}.`,
    );
  });
});
