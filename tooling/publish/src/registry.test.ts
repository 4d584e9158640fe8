// Every package packed, published to a real registry on 127.0.0.1, and installed with plain npm in fresh projects
// outside the workspace. Third-party packages come through Verdaccio's uplink to registry.npmjs.org.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp } from './bundle.js';
import { copiesOf, installedPackages, newProject, npmEnv, npmInstall, runScript } from './npm.js';
import { packAll, type Tarball } from './pack.js';
import { run } from './process.js';
import { publishAll } from './publish.js';
import { startRegistry, type Registry } from './registry.js';
import {
  budgetViolations,
  closureIn,
  measure,
  readBudgets,
  sizeTable,
  writeSizeTableToReadme,
  type SizeRow,
} from './sizes.js';
import { ROOT, publishablePackages } from './workspace.js';

const TFJS_CORE = '@tensorflow/tfjs-core@4.22.0';
const timings: Record<string, number> = {};
let tmp: string;
let registry: Registry | undefined;
let env: NodeJS.ProcessEnv;
let tarballs: Tarball[];
let onlyLayersDir: string;
let layersWasmDir: string;
let allDir: string;

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await f();
  } finally {
    timings[label] = Date.now() - t;
  }
}

function scenario(name: string): string {
  return readFileSync(join(ROOT, 'tooling', 'publish', 'scenarios', name), 'utf8');
}

/** A fresh project with `specs` installed; asserts a single tfjs-core, as the peer-everywhere rule promises. */
async function project(name: string, specs: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const dir = newProject(tmp, name);
  await timed(`install ${name}`, () => npmInstall(dir, [...specs, TFJS_CORE], { ...env, ...extraEnv }));
  expect(copiesOf(dir, '@tensorflow/tfjs-core'), `copies of tfjs-core in ${name}`).toHaveLength(1);
  return dir;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'nutshell-publish-'));
  tarballs = await timed('pack', () => packAll(publishablePackages(), join(tmp, 'tarballs')));
  registry = await timed('start verdaccio', () => startRegistry(join(tmp, 'registry')));
  env = npmEnv(registry, join(tmp, 'npm-cache'));
  await timed('publish', () => publishAll(tarballs, env, tmp));
}, 300_000);

const started = Date.now();
afterAll(async () => {
  await registry?.stop();
  if (tmp) await timed('clean up', async () => rmSync(tmp, { recursive: true, force: true }));
  const lines = Object.entries(timings).map(([k, v]) => `  ${k}: ${(v / 1000).toFixed(1)} s`);
  console.log(`registry test: ${((Date.now() - started) / 1000).toFixed(1)} s in all\n${lines.join('\n')}`);
}, 120_000);

/** Published packages that @nutshell/all deliberately does not depend on (the native backend's ONNX Runtime is large). */
const NOT_IN_ALL = new Set(['@nutshell/backend-native']);

describe.sequential('installed from the registry with plain npm', () => {
  it('every package was published with its workspace: ranges replaced by versions', async () => {
    expect(tarballs.map((t) => t.name).sort()).toEqual(
      publishablePackages()
        .map((p) => p.name)
        .sort(),
    );
    const meta = (await (
      await fetch(`${registry!.url}@nutshell%2flayers`, { signal: AbortSignal.timeout(10_000) })
    ).json()) as any;
    const latest = meta.versions[meta['dist-tags'].latest];
    for (const range of Object.values<string>(latest.dependencies ?? {}))
      expect(range).not.toMatch(/^workspace:/);
    expect(latest.peerDependencies).toEqual({ '@tensorflow/tfjs-core': '4.22.0' });
  });

  it('every tarball holds only what users need: no sources, tests, test helpers or source maps', async () => {
    for (const t of tarballs) {
      const files = (await run('tar', ['-tzf', t.file], { cwd: tmp, timeoutMs: 30_000 })).stdout
        .split('\n')
        .filter(Boolean);
      const stray = files.filter((f) =>
        /(^package\/src\/|\.test\.|test-utils|\.map$|\.tsbuildinfo$)/.test(f),
      );
      expect(stray, t.name).toEqual([]);
      expect(files, t.name).toEqual(
        expect.arrayContaining([
          'package/package.json',
          'package/README.md',
          'package/dist/index.js',
          'package/dist/index.d.ts',
        ]),
      );
    }
  });

  it('(a) only @nutshell/layers: a tiny network learns XOR on the built-in CPU backend', async () => {
    const dir = (onlyLayersDir = await project('only-layers', ['@nutshell/layers']));
    const installed = installedPackages(dir);
    for (const absent of [
      '@nutshell/conv',
      '@nutshell/backend-wasm',
      '@nutshell/backend-webgpu',
      '@tensorflow/tfjs-backend-webgpu',
      'webgpu',
    ]) {
      expect(installed.has(absent), absent).toBe(false);
    }
    const out = JSON.parse(
      (await timed('run (a)', () => runScript(dir, 'main.mjs', scenario('layers-cpu.mjs'), env))).stdout,
    );
    expect(out.backend).toBe('cpu');
    expect(out.params).toBe(2 * 8 + 8 + 8 + 1);
    expect(out.loss).toBeLessThan(0.1);
    expect(out.predictions.map((p: number) => Math.round(p))).toEqual([0, 1, 1, 0]);
  }, 300_000);

  it('(b) @nutshell/layers + @nutshell/backend-wasm: one line moves the same model to WASM, same answers', async () => {
    const dir = (layersWasmDir = await project('layers-wasm', [
      '@nutshell/layers',
      '@nutshell/backend-wasm',
      '@nutshell/backend',
    ]));
    const out = JSON.parse(
      (await timed('run (b)', () => runScript(dir, 'main.mjs', scenario('layers-wasm.mjs'), env))).stdout,
    );
    expect(out.before).toBe('cpu');
    expect(out.after).toBe('wasm');
    expect(out.onWasm).toHaveLength(4);
    out.onWasm.forEach((v: number, i: number) => expect(v).toBeCloseTo(out.onCpu[i], 5));
    expect(out.grad).toEqual([2, -4, 6]);
  }, 300_000);

  it('(c) @nutshell/all: everything from one import, training and a backend switch included', async () => {
    allDir = await project('all', ['@nutshell/all']);
    for (const p of publishablePackages()) {
      if (NOT_IN_ALL.has(p.name))
        expect(installedPackages(allDir).has(p.name), `${p.name} stays out of all`).toBe(false);
      else expect(installedPackages(allDir).has(p.name), p.name).toBe(true);
    }
    const out = JSON.parse(
      (await timed('run (c)', () => runScript(allDir, 'main.mjs', scenario('all.mjs'), env))).stdout,
    );
    expect(out.sigmoid[0]).toBe(0.5);
    expect(out.sigmoid[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    // LeNet on 28x28x1: conv 5x5x1x8 + 8, conv 5x5x8x16 + 16, dense 4*4*16 -> 10
    expect(out.lenetParams).toBe(5 * 5 * 8 + 8 + 5 * 5 * 8 * 16 + 16 + 256 * 10 + 10);
    expect(out.lastLoss).toBeLessThan(out.firstLoss / 4);
    expect(out.switchedTo).toBe('wasm');
    expect(out.backends).toEqual(expect.arrayContaining(['cpu', 'wasm', 'webgpu', 'cuda', 'tensorflow']));
  }, 300_000);

  it('backend-cuda next to the real tfjs-node-gpu 4.22.0, installed without its install script: the probe names the missing binding', async () => {
    // This machine cannot run tfjs-node-gpu's install script (it downloads libtensorflow from outside the npm
    // registry), which is exactly the state the probe must explain. The package layout is the real one.
    const dir = newProject(tmp, 'cuda-peer');
    await timed('install cuda-peer', () =>
      run(
        'npm',
        [
          'install',
          '--no-save',
          '--ignore-scripts',
          '@nutshell/backend-cuda',
          '@tensorflow/tfjs-node-gpu@4.22.0',
          TFJS_CORE,
        ],
        {
          cwd: dir,
          env,
          timeoutMs: 240_000,
        },
      ),
    );
    expect(copiesOf(dir, '@tensorflow/tfjs-core'), 'tfjs-node-gpu brings no second tfjs-core').toHaveLength(
      1,
    );
    const script = [
      "import { diagnoseCuda, useBackend } from '@nutshell/backend-cuda';",
      'const d = await diagnoseCuda();',
      "const err = await useBackend('cuda').catch((e) => e.message);",
      'console.log(JSON.stringify({ steps: d.steps, err }));',
    ].join('\n');
    const out = JSON.parse((await runScript(dir, 'main.mjs', script, env)).stdout);
    expect(out.steps.map((s: { check: string; ok: boolean }) => [s.check, s.ok])).toEqual([
      ['peer', true],
      ['binding', false],
    ]);
    expect(out.steps[1].message).toContain(
      join(dir, 'node_modules', '@tensorflow', 'tfjs-node-gpu', 'lib', 'napi-v8', 'tfjs_binding.node'),
    );
    expect(out.steps[1].message).toContain('its install script did not run');
    expect(out.err).toMatch(
      /^Backend 'cuda' is unavailable: @tensorflow\/tfjs-node-gpu is installed but its native binding .* Fix: Run npm rebuild @tensorflow\/tfjs-node-gpu/,
    );
  }, 300_000);

  it('the published types resolve: a strict TypeScript program against @nutshell/all and single packages compiles', async () => {
    const source = [
      "import { Dense, Sequential, Trainer, lenet, sigmoid, tensor, useBackend, type ModelLike, type Tensor } from '@nutshell/all';",
      "import { webgpuBackend } from '@nutshell/all/backend-webgpu';",
      "import { diagnoseCuda, type Diagnosis } from '@nutshell/backend-cuda';",
      "import { Dense as LayersDense } from '@nutshell/layers';",
      'const model: ModelLike = new Sequential([new Dense({ units: 2 })], { inputShape: [3] });',
      "const trainer = new Trainer(model, { loss: 'meanSquaredError', optimizer: 'sgd' });",
      'const y: Tensor = sigmoid(tensor([0, 1]));',
      'const d: Promise<Diagnosis> = diagnoseCuda();',
      "const same: boolean = Dense === LayersDense && typeof lenet === 'function' && webgpuBackend.name === 'webgpu';",
      'export { trainer, y, d, same, useBackend };',
      '',
    ].join('\n');
    writeFileSync(join(allDir, 'types-check.ts'), source);
    writeFileSync(
      join(allDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['types-check.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await timed('tsc', () =>
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: allDir, env, timeoutMs: 120_000 }),
    );
  }, 300_000);

  const SIGMOID_APP_BUDGET_KIB = 1200;
  const NOT_IMPORTED = [
    '@nutshell/conv',
    '@nutshell/layers',
    '@nutshell/train',
    '@nutshell/viz',
    '@nutshell/datasets',
    '@nutshell/backend-wasm',
    '@nutshell/backend-webgpu',
    '@nutshell/backend-cuda',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-backend-webgpu',
  ];

  it('a browser app built with Vite that imports only sigmoid from @nutshell/activations bundles nothing else', async () => {
    const b = await timed('vite (activations)', () =>
      bundleApp(
        allDir,
        'app-activations',
        "import { sigmoid } from '@nutshell/activations';\nsigmoid([0, 1]).print();\n",
      ),
    );
    expect(b.packages.has('@nutshell/activations')).toBe(true);
    for (const absent of NOT_IMPORTED) expect(b.packages.has(absent), `${absent} in the bundle`).toBe(false);
    // within activations, the units not imported are shaken out too
    expect(b.moduleIds.some((id) => /activations[/\\]dist[/\\]sigmoid\.js$/.test(id))).toBe(true);
    expect(b.moduleIds.some((id) => /activations[/\\]dist[/\\](maxout|softmax|relu)\.js$/.test(id))).toBe(
      false,
    );
    console.log(
      `bundle (sigmoid from @nutshell/activations): ${(b.jsBytes / 1024).toFixed(0)} KiB unminified`,
    );
    // Budget: tfjs-core, its CPU kernels and the gradients are ~990 KiB unminified; sigmoid adds almost nothing.
    expect(b.jsBytes / 1024).toBeLessThan(SIGMOID_APP_BUDGET_KIB);
  }, 300_000);

  it('the same app importing sigmoid from @nutshell/all bundles no more packages', async () => {
    const b = await timed('vite (all)', () =>
      bundleApp(allDir, 'app-all', "import { sigmoid } from '@nutshell/all';\nsigmoid([0, 1]).print();\n"),
    );
    expect(b.packages.has('@nutshell/activations')).toBe(true);
    for (const absent of NOT_IMPORTED) expect(b.packages.has(absent), `${absent} in the bundle`).toBe(false);
    console.log(`bundle (sigmoid from @nutshell/all): ${(b.jsBytes / 1024).toFixed(0)} KiB unminified`);
    expect(b.jsBytes / 1024).toBeLessThan(SIGMOID_APP_BUDGET_KIB);
  }, 300_000);

  it('each package alone: packed and installed size within budget, and it pulls in only what it needs', async () => {
    // backend-native is measured in a project of its own (it is not in @nutshell/all). Its optional ONNX Runtime
    // library comes inside the onnxruntime-node tarball; the variable skips that package's CUDA download script,
    // which npm <= 11 runs (and which fails offline).
    const nativeDir = await project('native-alone', ['@nutshell/backend-native'], {
      ONNXRUNTIME_NODE_INSTALL: 'skip',
    });
    // What a package alone installs is read from the @nutshell/all project, which holds every package: the package
    // and what its manifests require, transitively. The standalone projects above check that reading is right.
    for (const [dir, names] of [
      [onlyLayersDir, ['@nutshell/layers']],
      [layersWasmDir, ['@nutshell/layers', '@nutshell/backend-wasm', '@nutshell/backend']],
    ] as const) {
      const predicted = new Set(names.flatMap((n) => [n, ...closureIn(allDir, n).keys()]));
      for (const n of closureIn(allDir, '@tensorflow/tfjs-core').keys()) predicted.add(n);
      expect([...installedPackages(dir).keys()].sort(), `what ${names.join(' + ')} installs`).toEqual(
        [...predicted].sort(),
      );
    }
    const budgets = readBudgets();
    const baseline = new Set(closureIn(allDir, '@tensorflow/tfjs-core').keys());
    const rows: SizeRow[] = tarballs.map((t) =>
      measure(t.name, t.bytes, NOT_IN_ALL.has(t.name) ? nativeDir : allDir, baseline),
    );
    rows.sort((a, b) => a.name.localeCompare(b.name));
    const table = sizeTable(rows, budgets);
    console.log(table);
    if (process.env.NUTSHELL_WRITE_SIZE_TABLE === '1') writeSizeTableToReadme(table);
    expect(rows.flatMap((r) => budgetViolations(r, budgets[r.name]))).toEqual([]);
  }, 600_000);
});
