// End-to-end tests of the built CLI (dist/bin.js, built before tests by turbo): they spawn it as a user would.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, loadMnist } from '@nutshell/datasets';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nutshell-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function nutshell(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NUTSHELL_BACKEND;
  return run(env, ...args);
}

function run(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: tmp,
    env,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * stderr without the two lines Dawn (the native WebGPU library) prints when 'auto' probes a software Vulkan adapter
 * (lavapipe); they come from native code, not from Nutshell, and only where such an adapter is installed.
 */
function stderrOf(r: { stderr: string }): string {
  return r.stderr
    .split('\n')
    .filter((l) => !/^Warning: maxDynamic\w+PerPipelineLayout artificially reduced/.test(l))
    .join('\n');
}

function oneLineError(r: { stderr: string }): string {
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  expect(lines.length).toBeGreaterThanOrEqual(1);
  return lines[0];
}

describe('nutshell: usage errors exit 2 with a one-line message', () => {
  it('bad flag values', () => {
    for (const args of [
      ['train', 'logreg-cancer', '--epochs', 'abc'],
      ['train', 'logreg-cancer', '--epochs', '0'],
      ['train', 'logreg-cancer', '--batch-size', '-3'],
      ['train', 'logreg-cancer', '--lr', 'fast'],
      ['train', 'logreg-cancer', '--limit', '1.5'],
    ]) {
      const r = nutshell(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLineError(r)).toMatch(
        /^error: option '--[a-z-]+ <[a-z]+>' argument '.*' is invalid\. expected a positive (integer|number)/,
      );
    }
  });

  it('unknown flags and commands, missing arguments', () => {
    const flag = nutshell('train', 'logreg-cancer', '--epoch', '3');
    expect(flag.code).toBe(2);
    expect(oneLineError(flag)).toMatch(/^error: unknown option '--epoch'/);
    expect(nutshell('fly').code).toBe(2);
    const missing = nutshell('train');
    expect(missing.code).toBe(2);
    expect(oneLineError(missing)).toMatch(/missing required argument 'recipe'/);
  });

  it('an unknown recipe names the known ones', () => {
    const r = nutshell('train', 'mnist-transformer');
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toContain("value 'mnist-transformer' is invalid for argument 'recipe'");
    expect(oneLineError(r)).toContain('logreg-cancer, mnist-mlp, mnist-cnn, mnist-inception');
  });

  it('an unknown backend names the registered ones', () => {
    const r = nutshell('train', 'logreg-cancer', '--backend', 'quantum', '--out', join(tmp, 'never'));
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(
      /^nutshell: error: unknown backend 'quantum'\. Choose one of: auto, .*cpu/,
    );
    expect(existsSync(join(tmp, 'never', 'checkpoints'))).toBe(false);
  });

  it('NUTSHELL_BACKEND sets the default backend; --backend overrides it', () => {
    const r = run(
      { ...process.env, NUTSHELL_BACKEND: 'abacus' },
      'train',
      'logreg-cancer',
      '--out',
      join(tmp, 'never'),
    );
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(
      /unknown backend 'abacus' \(from NUTSHELL_BACKEND\)\. Choose one of: auto, /,
    );
    const help = nutshell('train', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/env: NUTSHELL_BACKEND/); // help text wraps at any space
  });

  it('--resume on a folder that does not exist or is not a run; one with no checkpoint yet starts again', () => {
    const absent = nutshell('train', 'logreg-cancer', '--resume', join(tmp, 'absent'));
    expect(absent.code).toBe(2);
    expect(oneLineError(absent)).toBe(
      `nutshell: error: cannot resume: run folder '${join(tmp, 'absent')}' does not exist.`,
    );

    const empty = join(tmp, 'empty-run');
    mkdirSync(empty);
    const notRun = nutshell('train', 'logreg-cancer', '--resume', empty);
    expect(notRun.code).toBe(2);
    expect(oneLineError(notRun)).toContain('is not a run folder');

    const noCheckpoint = join(tmp, 'no-checkpoint');
    mkdirSync(join(noCheckpoint, 'checkpoints'), { recursive: true });
    writeFileSync(
      join(noCheckpoint, 'config.json'),
      JSON.stringify({
        recipe: 'logreg-cancer',
        epochs: 1,
        batchSize: 32,
        lr: 0.01,
        optimizer: 'adam',
        seed: 0,
        backend: 'cpu',
        createdAt: '',
      }),
    );
    // Killed before its first checkpoint: the resume starts the run again from the beginning.
    const r = nutshell('train', 'logreg-cancer', '--resume', noCheckpoint, '--backend', 'cpu');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no checkpoint yet: starting the run again from the beginning');
  });

  it('--help works for every command and exits 0', () => {
    for (const cmd of [[], ['train'], ['evaluate'], ['predict'], ['backends']]) {
      const r = nutshell(...cmd, '--help');
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: nutshell/);
    }
    expect(nutshell('train', '--help').stdout).toContain('mnist-inception');
  });
});

describe('nutshell backends', () => {
  it('--help, backends and --backend agree: every plugin the CLI installs, names in any case', () => {
    const help = nutshell('train', '--help').stdout.replace(/\s+/g, ' ');
    const listed = /backend to compute on: auto \(the fastest usable one\), ([\w, ]+) \(any case\)/
      .exec(help)?.[1]
      .split(', ');
    const json = JSON.parse(nutshell('backends', '--json').stdout) as { backends: { name: string }[] };
    expect(listed?.sort()).toEqual(json.backends.map((b) => b.name).sort());
    expect(listed).toEqual(expect.arrayContaining(['cpu', 'wasm', 'webgpu', 'cuda']));
    const unknown = nutshell('train', 'logreg-cancer', '--backend', 'tpu', '--out', join(tmp, 'never'));
    const choices = /Choose one of: (.*)\.$/.exec(oneLineError(unknown))?.[1].split(', ');
    expect(choices?.sort()).toEqual(['auto', ...listed!].sort());
    const upper = nutshell(
      'train',
      'logreg-cancer',
      '--backend',
      'WASM',
      '--epochs',
      '1',
      '--limit',
      '64',
      '--out',
      join(tmp, 'upper'),
    );
    expect(upper.code).toBe(0);
    expect(upper.stdout).toContain('backend: wasm — named by useBackend');
  }, 60_000);

  it('lists every plugin with its probe result and what auto picks', () => {
    const r = nutshell('backends');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cpu\s+usable/m);
    expect(r.stdout).toMatch(/^wasm\s+/m);
    expect(r.stdout).toMatch(/'auto' selects: \w+/);
    const json = JSON.parse(nutshell('backends', '--json').stdout) as {
      auto: string;
      backends: { name: string; usable: boolean }[];
    };
    expect(json.backends.find((b) => b.name === 'cpu')?.usable).toBe(true);
    expect(json.backends.map((b) => b.name)).toContain(json.auto);
  });
});

describe('nutshell train / evaluate / predict, end to end', () => {
  it('logreg-cancer: trains, writes the run folder, reaches a real accuracy, evaluates, resumes', () => {
    const run = join(tmp, 'cancer');
    const r = nutshell(
      'train',
      'logreg-cancer',
      '--epochs',
      '5',
      '--out',
      run,
      '--backend',
      'cpu',
      '--checkpoint-every',
      '5',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('backend: cpu');
    // Not a terminal, and short epochs: one summary line per epoch, no bar.
    expect(r.stdout).toMatch(
      /^epoch 5\/5 done in \d+s \([\d,]+ samples\/s\): loss \d\.\d{4}, accuracy \d\.\d{4}$/m,
    );
    expect(r.stdout).not.toMatch(/batch \d+\/15/);
    expect(r.stdout).toMatch(/accuracy\s+\d+\.\d\d%/);
    // The logistic regression explained: intercept, then every feature by effect size with its odds ratio.
    expect(r.stdout).toContain(
      'coefficients (log-odds of benign per standard deviation; odds ratio = e^weight):',
    );
    const coef = [...r.stdout.matchAll(/^ {2}(.+?) +(-?\d+\.\d{4}) +(\d[\d.e+-]*)$/gm)].map((m) => ({
      name: m[1],
      w: Number(m[2]),
      odds: Number(m[3]),
    }));
    expect(coef).toHaveLength(31);
    expect(coef[0].name).toBe('(intercept)');
    for (const c of coef) expect(c.odds).toBeCloseTo(Math.exp(c.w), 2);
    const sizes = coef.slice(1).map((c) => Math.abs(c.w));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    for (const f of ['config.json', 'metrics.csv', 'test-metrics.json', 'model'])
      expect(existsSync(join(run, f)), f).toBe(true);
    expect(readdirSync(join(run, 'checkpoints')).length).toBeGreaterThan(0);
    const csv = readFileSync(join(run, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^epoch,loss,accuracy/);
    expect(csv).toHaveLength(6);
    const metrics = JSON.parse(readFileSync(join(run, 'test-metrics.json'), 'utf8')) as {
      accuracy: number;
      samples: number;
    };
    expect(metrics.samples).toBe(113); // 42 malignant + 71 benign, 20% of each
    // Standardised logistic regression separates this set well: scikit-learn gets ~97%.
    expect(metrics.accuracy).toBeGreaterThan(0.93);

    const again = nutshell('train', 'logreg-cancer', '--out', run);
    expect(again.code).toBe(2);
    expect(oneLineError(again)).toContain('already holds a run');

    const ev = nutshell('evaluate', run, '--backend', 'cpu');
    expect(ev.code).toBe(0);
    expect(ev.stdout).toContain(`accuracy           ${(metrics.accuracy * 100).toFixed(2)}%`);

    const resumed = nutshell('train', 'logreg-cancer', '--resume', run, '--epochs', '7', '--backend', 'cpu');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resumed at epoch 6/);
    expect(readFileSync(join(run, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(8);

    // predict takes CSV rows of the raw features (header optional): three malignant tumours of the data set.
    const rows = [
      '17.99,10.38,122.8,1001,0.1184,0.2776,0.3001,0.1471,0.2419,0.07871,1.095,0.9053,8.589,153.4,0.006399,0.04904,0.05373,0.01587,0.03003,0.006193,25.38,17.33,184.6,2019,0.1622,0.6656,0.7119,0.2654,0.4601,0.1189',
      '20.57,17.77,132.9,1326,0.08474,0.07864,0.0869,0.07017,0.1812,0.05667,0.5435,0.7339,3.398,74.08,0.005225,0.01308,0.0186,0.0134,0.01389,0.003532,24.99,23.41,158.8,1956,0.1238,0.1866,0.2416,0.186,0.275,0.08902',
      '19.69,21.25,130,1203,0.1096,0.1599,0.1974,0.1279,0.2069,0.05999,0.7456,0.7869,4.585,94.03,0.00615,0.04006,0.03832,0.02058,0.0225,0.004571,23.57,25.53,152.5,1709,0.1444,0.4245,0.4504,0.243,0.3613,0.08758',
    ];
    const csvPath = join(tmp, 'tumours.csv');
    writeFileSync(
      csvPath,
      `${Array.from({ length: 30 }, (_, i) => `f${i}`).join(',')}\n${rows.join('\n')}\n`,
    );
    const p = nutshell('predict', run, csvPath, '--backend', 'cpu');
    expect(p.code).toBe(0);
    expect(
      p.stdout
        .split('\n')
        .filter((l) => /^\d: /.test(l))
        .map((l) => l.slice(0, 12)),
    ).toEqual(['0: malignan', '1: malignan', '2: malignan'].map((s) => `${s}t`));
    writeFileSync(csvPath, '1,2\n');
    const short = nutshell('predict', run, csvPath, '--backend', 'cpu');
    expect(short.code).toBe(2);
    expect(oneLineError(short)).toBe(
      `nutshell: error: ${csvPath}: data row 1 has 2 values, but logreg-cancer takes 30 per sample.`,
    );
  }, 120_000);

  it('mnist-mlp with --limit: trains on real MNIST, predicts an IDX file and a PNG', () => {
    const run = join(tmp, 'mlp');
    const r = nutshell('train', 'mnist-mlp', '--limit', '2000', '--batch-size', '32', '--out', run);
    expect(stderrOf(r)).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backend: \w+ — /);
    expect(r.stdout).toContain('data: 2,000 training / 2,000 test samples');
    // Not a terminal: about ten plain progress lines per epoch instead of a live bar.
    expect(r.stdout).toMatch(
      /^epoch 1\/1 {2}batch \d+\/63 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}[\d,]+ samples\/s {2}ETA \d+s$/m,
    );
    const metrics = JSON.parse(readFileSync(join(run, 'test-metrics.json'), 'utf8')) as { accuracy: number };
    // 63 Adam steps on 2,000 images: well above chance (10%); a full epoch reaches ~95%.
    expect(metrics.accuracy).toBeGreaterThan(0.75);

    const test = loadMnist({ split: 'test', limit: 3 }); // labels 7, 2, 1
    const images = Uint8Array.from(test.x, (v) => Math.round(v * 255));
    const idxPath = join(tmp, 'three-idx3-ubyte');
    writeFileSync(idxPath, encodeIdx({ dtype: 'ubyte', dims: [3, 28, 28], data: images }));
    const p = nutshell('predict', run, idxPath, '--top', '2');
    expect(p.code).toBe(0);
    const lines = p.stdout.split('\n').filter((l) => /^\d+: /.test(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^0: \d {2}\(\d \d+\.\d%, \d \d+\.\d%\)$/);

    // 784 values shaped [2, 392] are two rows of 392, not one 28×28 image.
    const oddPath = join(tmp, 'odd-idx2-ubyte');
    writeFileSync(oddPath, encodeIdx({ dtype: 'ubyte', dims: [2, 392], data: images.subarray(0, 784) }));
    const odd = nutshell('predict', run, oddPath);
    expect(odd.code).toBe(2);
    expect(oneLineError(odd)).toContain('holds [2, 392], but mnist-mlp takes');

    // The first test image as a black-on-white 56×56 PNG: inverted and resized back to 28×28 by predict.
    const png = new PNG({ width: 56, height: 56 });
    for (let y = 0; y < 56; y++) {
      for (let x = 0; x < 56; x++) {
        const v = 255 - images[Math.floor(y / 2) * 28 + Math.floor(x / 2)];
        png.data.set([v, v, v, 255], 4 * (y * 56 + x));
      }
    }
    const pngPath = join(tmp, 'seven.png');
    writeFileSync(pngPath, PNG.sync.write(png));
    const fromPng = nutshell('predict', run, pngPath);
    expect(fromPng.code).toBe(0);
    const idxGuess = lines[0].slice(3, 4);
    expect(fromPng.stdout).toMatch(new RegExp(`^${idxGuess} {2}\\(`, 'm'));

    const bad = nutshell('predict', run, join(tmp, 'nope.png'));
    expect(bad.code).toBe(2);
    expect(oneLineError(bad)).toContain('nope.png');
  }, 120_000);

  it('a run killed with SIGKILL mid-epoch and resumed ends with the same model, bit for bit (cpu)', async () => {
    const common = [
      'train',
      'mnist-mlp',
      '--limit',
      '1200',
      '--batch-size',
      '32',
      '--backend',
      'cpu',
      '--checkpoint-every',
      '4',
    ];
    const whole = join(tmp, 'whole');
    expect(nutshell(...common, '--out', whole).code).toBe(0);

    const killed = join(tmp, 'killed');
    const env = { ...process.env };
    delete env.NUTSHELL_BACKEND;
    const child = spawn(process.execPath, [BIN, ...common, '--out', killed], {
      cwd: tmp,
      env,
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Kill it as soon as its first checkpoint is on disk: mid-epoch, before the model is saved.
    while (
      !existsSync(join(killed, 'checkpoints')) ||
      !readdirSync(join(killed, 'checkpoints')).some((f) => f.endsWith('.ckpt'))
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(join(killed, 'test-metrics.json'))).toBe(false);

    const resumed = nutshell('train', 'mnist-mlp', '--resume', killed, '--backend', 'cpu');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resumed at epoch 1, step \d+/);
    const weights = (dir: string) => readFileSync(join(dir, 'model', 'model.safetensors'));
    expect(weights(killed).equals(weights(whole))).toBe(true);
    const metrics = (dir: string) =>
      JSON.parse(readFileSync(join(dir, 'test-metrics.json'), 'utf8')) as { loss: number };
    expect(metrics(killed).loss).toBe(metrics(whole).loss);
  }, 120_000);
});
