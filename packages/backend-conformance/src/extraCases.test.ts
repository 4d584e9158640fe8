// Cases passed in by other packages: checked like the built-in ones, skipped with a reason where unsupported.
import { describe, expect, it } from 'vitest';
import { cpuBackend, tf } from '@nutshell/backend';
import { formatConformanceReport, listConformanceChecks, reference as R, runConformance } from './index.js';
import type { OpCase } from './index.js';

const scaledSum: OpCase = {
  name: 'extra: 3·x summed over the last axis',
  family: 'test',
  kernels: ['Mul', 'Sum'],
  inputs: [{ shape: [2, 3] }],
  run: ([x]) => tf.sum(tf.mul(x, 3), 1),
  reference: ([x]) =>
    R.sum(
      R.map(x, (v) => 3 * v),
      [1],
    ),
};
const noReference: OpCase = {
  ...scaledSum,
  name: 'extra: without a float64 reference',
  reference: undefined,
};
const wrongReference: OpCase = {
  ...scaledSum,
  name: 'extra: wrong reference',
  reference: ([x]) => R.sum(x, [1]),
};
const unsupported: OpCase = {
  ...scaledSum,
  name: 'extra: unsupported on cpu',
  unsupported: (b) => (b === 'cpu' ? 'cpu has no such device' : undefined),
};

describe('extra cases (ConformanceOptions.cases)', () => {
  it('are listed and checked like built-in ones; builtIn: false runs only them', async () => {
    const options = {
      cases: [scaledSum, noReference, wrongReference, unsupported],
      builtIn: false,
      kinds: ['forward', 'gradient'] as const,
    };
    expect(listConformanceChecks(options).map((c) => `${c.kind}: ${c.name}`)).toHaveLength(8);
    const report = await runConformance(cpuBackend, options);
    const get = (name: string, kind = 'forward') =>
      report.results.find((r) => r.name === name && r.kind === kind)!;
    expect(get(scaledSum.name)).toMatchObject({ passed: true });
    expect(get(scaledSum.name, 'gradient').message).toMatch(/vs float64 central differences/);
    expect(get(noReference.name)).toMatchObject({ passed: true });
    expect(get(noReference.name).message).toMatch(/no float64 reference/);
    expect(get(wrongReference.name).passed).toBe(false); // 3·x against x: the float64 reference catches it
    expect(get(unsupported.name)).toMatchObject({ passed: false, skipped: 'cpu has no such device' });
    expect(report.passed).toBe(false);
    expect(formatConformanceReport(report)).toMatch(/skip forward +extra: unsupported on cpu/);
  });
});
