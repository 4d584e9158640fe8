import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { numTensors } from '@nutshell/tensor';
import {
  DataFileError,
  DatasetError,
  MAX_INFERRED_CLASSES,
  MinMaxScaler,
  Standardizer,
  createDataset,
  csvToDataset,
  parseCsv,
  parseCsvTargets,
  readIdx,
} from './index.js';
import { parseNumberField } from './numberField.js';

const dir = mkdtempSync(join(tmpdir(), 'nutshell-datasets-'));
const aDir = join(dir, 'images.idx');
mkdirSync(aDir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bad {
  what: string;
  run: () => unknown;
  error: new (...a: never[]) => Error;
  message: RegExp;
}

// Each of these was accepted before (26 for 0x1A, a billion classes, NaN statistics) or threw a raw EISDIR.
const BAD: Bad[] = [
  {
    what: 'CSV feature 0x1A',
    run: () => csvToDataset(parseCsv('1,0x1A,0\n2,3,1\n'), 'f.csv'),
    error: DataFileError,
    message: /^f\.csv: row 0, column 1: '0x1A' is not a number\.$/,
  },
  {
    what: 'CSV feature 0b11',
    run: () => csvToDataset(parseCsv('0b11,1\n'), 'f.csv'),
    error: DataFileError,
    message: /'0b11' is not a number/,
  },
  {
    what: 'CSV label 0x1',
    run: () => csvToDataset(parseCsv('1,2,0x1\n'), 'f.csv'),
    error: DataFileError,
    message: /row 0: label '0x1' is not an integer ≥ 0/,
  },
  {
    what: 'CSV targets: feature 0x10 read as a number',
    run: () => parseCsvTargets('a,y\n0x10,1\n2,0\n', 't.csv', { header: true, task: 'regression' }),
    error: DataFileError,
    message: /t\.csv: .*0x10/,
  },
  {
    what: 'CSV label 1,000,000,000',
    run: () => csvToDataset(parseCsv('1,2,0\n3,4,1000000000\n'), 'big.csv'),
    error: DatasetError,
    message:
      /^big\.csv: label 1000000000 at row 1 would make 1000000001 classes; classes inferred from the labels are limited to 100000\./,
  },
  {
    what: 'createDataset label 100000',
    run: () =>
      createDataset({
        x: new Float32Array([1, 2]),
        y: new Int32Array([0, MAX_INFERRED_CLASSES]),
        featureShape: [1],
      }),
    error: DatasetError,
    message: /label 100000 at row 1 would make 100001 classes/,
  },
  {
    what: 'Standardizer.fit with NaN',
    run: () => new Standardizer().fit({ x: new Float32Array([1, 2, NaN, 4]), featureShape: [2] }),
    error: DatasetError,
    message: /^Standardizer\.fit: x\[1\] feature 0 is NaN/,
  },
  {
    what: 'MinMaxScaler.fit with Infinity',
    run: () => new MinMaxScaler().fit({ x: new Float32Array([1, Infinity]), featureShape: [1] }),
    error: DatasetError,
    message: /^MinMaxScaler\.fit: x\[1\] feature 0 is Infinity/,
  },
  {
    what: 'readIdx of a directory',
    run: () => readIdx(aDir),
    error: DataFileError,
    message: /images\.idx: is a directory, not a file; expected an IDX file\.$/,
  },
  {
    what: 'readIdx of a missing file',
    run: () => readIdx(join(dir, 'missing.idx')),
    error: DataFileError,
    message: /missing\.idx: no such file\./,
  },
];

describe('datasets refuse bad input with typed errors and leak nothing', () => {
  it.each(BAD)('$what', ({ run, error, message }) => {
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

  it('decimal forms still read: signs, exponents, leading dots; nan and inf as NaN and ±Infinity', () => {
    expect([
      parseNumberField('nan'),
      parseNumberField('-inf'),
      parseNumberField('Infinity'),
      parseNumberField(''),
      parseNumberField('1_000'),
    ]).toEqual([NaN, -Infinity, Infinity, undefined, undefined]);
    const d = csvToDataset(parseCsv('-1.5,.25,1e-3,+2,0\n1,2,3,3.,1\n'), 'ok.csv');
    expect(Array.from(d.x.slice(0, 4))).toEqual([-1.5, 0.25, Math.fround(1e-3), 2]);
    expect(d.numClasses).toBe(2);
    // Classes given explicitly are not limited.
    expect(
      createDataset({
        x: new Float32Array([0]),
        y: new Int32Array([0]),
        featureShape: [1],
        numClasses: 200_000,
      }).numClasses,
    ).toBe(200_000);
  });
});
