import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { csvToDataset, loadCsvDataset, parseCsv, readCsv } from './csv.js';
import { DataFileError, DatasetError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nutshell-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV', () => {
  it('parses quoted fields and a header, and reads .gz files', () => {
    const t = parseCsv('name,"a, b"\r\n"x ""y""",2\n', 'mem', { header: true });
    expect(t.columns).toEqual(['name', 'a, b']);
    expect(t.rows).toEqual([['x "y"', '2']]);
    const path = join(dir, 't.csv.gz');
    writeFileSync(path, gzipSync('1,2\n3,4\n'));
    expect(readCsv(path).rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('builds a data set with the label column by name, class names and feature names', () => {
    const path = join(dir, 'iris.csv');
    writeFileSync(path, 'petal,species,sepal\n1.5,setosa,2\n4.5,virginica,3\n0.5,setosa,1\n');
    const d = loadCsvDataset(path, {
      header: true,
      labelColumn: 'species',
      classNames: ['setosa', 'virginica'],
    });
    expect(d.n).toBe(3);
    expect(Array.from(d.x)).toEqual([1.5, 2, 4.5, 3, 0.5, 1]);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
    expect(d.featureNames).toEqual(['petal', 'sepal']);
    expect(d.numClasses).toBe(2);
  });

  it('names the file and line of a ragged row', () => {
    const path = join(dir, 'ragged.csv');
    writeFileSync(path, '1,2,0\n3,4\n');
    expect(() => readCsv(path)).toThrow(DataFileError);
    expect(() => readCsv(path)).toThrow(new RegExp(`^${path}: malformed CSV: .*line 2`));
  });

  it('names the row and column of a field that is not a number, and of a bad label', () => {
    expect(() => csvToDataset(parseCsv('1,2,0\n3,abc,1\n'), 'f.csv')).toThrow(
      "f.csv: row 1, column 1: 'abc' is not a number.",
    );
    expect(() => csvToDataset(parseCsv('1,2,0\n3,4,-1\n'), 'f.csv')).toThrow(
      "f.csv: row 1: label '-1' is not an integer ≥ 0.",
    );
    expect(() => csvToDataset(parseCsv('1,2,0\n3,4,0.5\n'), 'f.csv')).toThrow(/row 1: label '0.5'/);
  });

  it('names the row and feature of a NaN or missing value', () => {
    expect(() =>
      csvToDataset(parseCsv('a,b,y\n1,2,0\n3,NaN,1\n', 'f.csv', { header: true }), 'f.csv'),
    ).toThrow(DatasetError);
    expect(() =>
      csvToDataset(parseCsv('a,b,y\n1,2,0\n3,NaN,1\n', 'f.csv', { header: true }), 'f.csv'),
    ).toThrow("f.csv: NaN in row 1, feature 'b'; data must be finite numbers.");
    expect(() => csvToDataset(parseCsv('1,,0\n'), 'g.csv')).toThrow('g.csv: NaN in row 0, feature 1');
  });

  it('refuses a missing file and an empty one', () => {
    expect(() => readCsv(join(dir, 'nope.csv'))).toThrow(`${join(dir, 'nope.csv')}: no such file.`);
    expect(() => csvToDataset(parseCsv(''), 'empty.csv')).toThrow('empty.csv: no data rows.');
  });
});
