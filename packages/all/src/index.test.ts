import { describe, expect, it } from 'vitest';
import * as all from './index.js';
import * as browser from './browser.js';
import * as wasmEntry from './backend-wasm.js';
import * as backend from '@nutshell/backend';
import * as tensor from '@nutshell/tensor';
import * as activations from '@nutshell/activations';
import * as layers from '@nutshell/layers';
import * as conv from '@nutshell/conv';
import * as recurrent from '@nutshell/recurrent';
import * as onnx from '@nutshell/onnx';
import * as tensorboard from '@nutshell/tensorboard';
import * as train from '@nutshell/train';
import * as datasets from '@nutshell/datasets';
import * as viz from '@nutshell/viz';
import * as conformance from '@nutshell/backend-conformance';
import * as wasm from '@nutshell/backend-wasm';
import * as webgpu from '@nutshell/backend-webgpu';
import * as cuda from '@nutshell/backend-cuda';

type Module = Record<string, unknown>;
/** In Nutshell's layering order: where two export the same name, the earlier keeps it. */
const PACKAGES: [string, Module][] = [
  ['@nutshell/backend', backend],
  ['@nutshell/tensor', tensor],
  ['@nutshell/activations', activations],
  ['@nutshell/layers', layers],
  ['@nutshell/conv', conv],
  ['@nutshell/recurrent', recurrent],
  ['@nutshell/onnx', onnx],
  ['@nutshell/train', train],
  ['@nutshell/datasets', datasets],
  ['@nutshell/viz', viz],
  ['@nutshell/backend-conformance', conformance],
];
const PLUGINS: [string, Module][] = [
  ['@nutshell/backend-wasm', wasm],
  ['@nutshell/backend-webgpu', webgpu],
  ['@nutshell/backend-cuda', cuda],
  // Node only, like the plugins: not in the browser entry.
  ['@nutshell/tensorboard', tensorboard],
];
/** The value exports that clash, as resolved in packages.ts: name → [owner of the plain name, [other, alias]]. */
const CLASHES: Record<string, [string, [string, string][]]> = {
  oneHot: ['@nutshell/tensor', [['@nutshell/datasets', 'datasetsOneHot']]],
  confusionMatrix: ['@nutshell/train', [['@nutshell/viz', 'vizConfusionMatrix']]],
};

function exportsOf(mods: [string, Module][]): Map<string, [string, unknown][]> {
  const byName = new Map<string, [string, unknown][]>();
  for (const [pkg, mod] of mods) {
    for (const [name, value] of Object.entries(mod)) byName.set(name, [...(byName.get(name) ?? []), [pkg, value]]);
  }
  return byName;
}

describe('@nutshell/all', () => {
  const every = exportsOf([...PACKAGES, ...PLUGINS]);

  it('the clashes resolved in packages.ts are exactly the names two packages export for different things', () => {
    const clashes = [...every].filter(([, owners]) => new Set(owners.map(([, v]) => v)).size > 1).map(([n]) => n);
    expect(clashes.sort()).toEqual(Object.keys(CLASHES).sort());
  });

  it('re-exports every export of every package, the same object, not a copy', () => {
    let checked = 0;
    for (const [name, owners] of every) {
      const clash = CLASHES[name];
      const expected = clash ? owners.find(([p]) => p === clash[0])![1] : owners[0][1];
      expect((all as Module)[name], name).toBe(expected);
      checked++;
      for (const [pkg, alias] of clash?.[1] ?? []) {
        expect((all as Module)[alias], alias).toBe(owners.find(([p]) => p === pkg)![1]);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the browser entry has every package but the side-effecting backend plugins', () => {
    const packagesOnly = exportsOf(PACKAGES);
    for (const name of packagesOnly.keys()) expect(name in browser, name).toBe(true);
    for (const name of ['wasmBackend', 'webgpuBackend', 'cudaBackend', 'tensorflowBackend']) {
      expect(name in browser, name).toBe(false);
      expect(name in all, name).toBe(true);
    }
    expect(wasmEntry.wasmBackend).toBe(wasm.wasmBackend);
  });
});
