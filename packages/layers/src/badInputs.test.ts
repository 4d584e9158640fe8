import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileError, NutshellError, ShapeError, numTensors } from '@nutshell/tensor';
import {
  BatchNormalization,
  Dense,
  LayerNormalization,
  Model,
  Sequential,
  input,
  loadModel,
  modelFromConfig,
  saveModel,
  type ModelConfig,
} from './index.js';

interface Bad {
  what: string;
  run: () => unknown;
  error: new (...a: never[]) => Error;
  message: RegExp;
}

// A graph whose second node reads a node that does not exist: the first Dense is built (weights allocated)
// before the config fails.
function brokenGraphConfig(): ModelConfig {
  const x = input([3], { name: 'in' });
  const y = new Dense({ units: 2, name: 'first' }).apply(x);
  const m = new Model({ inputs: x, outputs: new Dense({ units: 1, name: 'second' }).apply(y) });
  const config = m.getConfig();
  m.dispose();
  const nodes = config.nodes as { id: string; inputs: string[] }[];
  nodes[nodes.length - 1].inputs = ['nowhere'];
  return config;
}

const CONFIGS: Bad[] = [
  {
    what: 'BatchNormalization epsilon −1',
    run: () => new BatchNormalization({ epsilon: -1, name: 'bn' }),
    error: NutshellError,
    message: /^BatchNormalization 'bn': epsilon must be a finite number ≥ 0, got -1\.$/,
  },
  {
    what: 'BatchNormalization epsilon −1e-9',
    run: () => new BatchNormalization({ epsilon: -1e-9, name: 'bn' }),
    error: NutshellError,
    message: /epsilon must be a finite number ≥ 0, got -1e-9\./,
  },
  {
    what: 'BatchNormalization epsilon NaN',
    run: () => new BatchNormalization({ epsilon: NaN, name: 'bn' }),
    error: NutshellError,
    message: /got NaN/,
  },
  {
    what: 'BatchNormalization momentum 1.5',
    run: () => new BatchNormalization({ momentum: 1.5, name: 'bn' }),
    error: NutshellError,
    message: /^BatchNormalization 'bn': momentum must be a number in \[0, 1\], got 1\.5\.$/,
  },
  {
    what: 'BatchNormalization momentum −0.1',
    run: () => new BatchNormalization({ momentum: -0.1, name: 'bn' }),
    error: NutshellError,
    message: /momentum must be a number in \[0, 1\], got -0\.1/,
  },
  {
    what: 'BatchNormalization momentum as a string',
    run: () => new BatchNormalization({ momentum: '0.9' as never, name: 'bn' }),
    error: NutshellError,
    message: /momentum .* got 0\.9/,
  },
  {
    what: 'BatchNormalization axis 1.5',
    run: () => new BatchNormalization({ axis: 1.5, name: 'bn' }),
    error: NutshellError,
    message: /axis must be an integer, got 1\.5/,
  },
  {
    what: 'LayerNormalization epsilon −1e-3',
    run: () => new LayerNormalization({ epsilon: -1e-3, name: 'ln' }),
    error: NutshellError,
    message: /^LayerNormalization 'ln': epsilon must be a finite number ≥ 0, got -0\.001\.$/,
  },
  {
    what: 'LayerNormalization epsilon Infinity',
    run: () => new LayerNormalization({ epsilon: Infinity, name: 'ln' }),
    error: NutshellError,
    message: /got Infinity/,
  },
  {
    what: 'a graph config failing part-way',
    run: () => modelFromConfig(brokenGraphConfig()),
    error: NutshellError,
    message: /reads unknown node 'nowhere'/,
  },
  {
    what: 'a Sequential config whose third layer cannot take its input',
    run: () =>
      modelFromConfig({
        className: 'Sequential',
        name: 's',
        inputShape: [4],
        layers: [
          { className: 'Dense', name: 'a', units: 3 },
          { className: 'Dense', name: 'b', units: 2 },
          { className: 'Reshape', name: 'r', targetShape: [5] },
        ],
      }),
    error: ShapeError,
    message: /Reshape 'r'/,
  },
];

describe('layers refuse bad configs with typed errors and leak nothing', () => {
  it.each(CONFIGS)('$what', ({ run, error, message }) => {
    const before = numTensors();
    let caught: unknown;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(error);
    expect((caught as Error).message).toMatch(message);
    expect(numTensors()).toBe(before);
  });

  it('momentum 0 and 1 and epsilon 0 are still accepted', () => {
    expect(new BatchNormalization({ momentum: 1, epsilon: 1e-12 }).momentum).toBe(1);
    expect(new BatchNormalization({ momentum: 0, epsilon: 0 }).momentum).toBe(0);
  });
});

describe('loadModel and saveModel: file problems are FileErrors naming the path', () => {
  const root = mkdtempSync(join(tmpdir(), 'nutshell-io-'));
  const aFile = join(root, 'a-file');
  writeFileSync(aFile, 'not a folder');
  const jsonIsDir = join(root, 'json-is-dir');
  mkdirSync(join(jsonIsDir, 'model.json'), { recursive: true });
  const noWeights = join(root, 'no-weights');
  let model: Sequential;
  beforeAll(async () => {
    model = new Sequential([new Dense({ units: 1 })], { inputShape: [2] });
    await saveModel(model, noWeights);
    rmSync(join(noWeights, 'model.safetensors'));
  });
  afterAll(() => {
    model.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const FILES: { what: string; run: () => Promise<unknown>; path: string; code: string; message: RegExp }[] =
    [
      {
        what: 'loadModel of a missing folder',
        run: () => loadModel(join(root, 'missing')),
        path: join(root, 'missing'),
        code: 'ENOENT',
        message: /^loadModel: .*missing does not exist; expected a model folder written by saveModel/,
      },
      {
        what: 'loadModel of a file',
        run: () => loadModel(aFile),
        path: aFile,
        code: 'ENOTDIR',
        message: /^loadModel: .*a-file is not a directory/,
      },
      {
        what: 'loadModel where model.json is a directory',
        run: () => loadModel(jsonIsDir),
        path: join(jsonIsDir, 'model.json'),
        code: 'EISDIR',
        message: /model\.json is a directory/,
      },
      {
        what: 'loadModel without model.safetensors',
        run: () => loadModel(noWeights),
        path: join(noWeights, 'model.safetensors'),
        code: 'ENOENT',
        message: /model\.safetensors does not exist/,
      },
      {
        what: 'saveModel to a file',
        run: () => saveModel(model, aFile),
        path: aFile,
        code: 'EEXIST',
        message:
          /^saveModel: .*a-file already exists \(as a file\); expected a folder to save the model in\.$/,
      },
      {
        what: 'saveModel under a file',
        run: () => saveModel(model, join(aFile, 'sub')),
        path: join(aFile, 'sub'),
        code: 'ENOTDIR',
        message: /^saveModel: .*sub is not a directory, or one of its parents is a file/,
      },
    ];

  it.each(FILES)('$what', async ({ run, path, code, message }) => {
    const before = numTensors();
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).path).toBe(path);
    expect((err as FileError).code).toBe(code);
    expect((err as Error).message).toMatch(message);
    expect(numTensors()).toBe(before);
  });
});
