import { describe, expect, it } from 'vitest';
import { DataFileError } from './errors.js';
import { parseCsvTargets } from './csvTargets.js';

describe('csvTargets: numeric targets and string class labels', () => {
  it('numeric target column → regression, by name; features are the other columns', () => {
    const d = parseCsvTargets('rooms,price,age\n3,250.5,10\n4,310,2\n', 'houses.csv', {
      header: true,
      target: 'price',
    });
    expect(d.task).toBe('regression');
    expect(Array.from(d.y)).toEqual([250.5, 310]);
    expect(d.y).toBeInstanceOf(Float32Array);
    expect(Array.from(d.x)).toEqual([3, 10, 4, 2]);
    expect([d.n, d.featureShape, d.featureNames, d.targetNames]).toEqual([
      2,
      [2],
      ['rooms', 'age'],
      ['price'],
    ]);
  });

  it('several regression targets, by index (negative from the end)', () => {
    const d = parseCsvTargets('1,2,3,4\n5,6,7,8\n', 't.csv', { target: [-1, 0] });
    expect(Array.from(d.y)).toEqual([4, 1, 8, 5]);
    expect(Array.from(d.x)).toEqual([2, 3, 6, 7]);
    expect(d.targetNames).toEqual(['column 3', 'column 0']);
  });

  it('string labels → classification with inferred, sorted class names; or the names given, in their order', () => {
    const text = 'a,b,species\n1,2,virginica\n3,4,setosa\n5,6,virginica\n7,8,versicolor\n';
    const d = parseCsvTargets(text, 'iris.csv', { header: true });
    expect(d.task).toBe('classification');
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(d.y)).toEqual([2, 0, 2, 1]);
    expect(d.y).toBeInstanceOf(Int32Array);
    const given = parseCsvTargets(text, 'iris.csv', {
      header: true,
      classNames: ['virginica', 'setosa', 'versicolor'],
    });
    expect(Array.from(given.y)).toEqual([0, 1, 0, 2]);
    const numeric = parseCsvTargets('1,10\n2,2\n3,10\n', 'n.csv', { task: 'classification' });
    expect([numeric.classNames, Array.from(numeric.y)]).toEqual([
      ['2', '10'],
      [1, 0, 1],
    ]);
  });

  it('names the row and column of a bad field; an unknown label; an unknown column', () => {
    expect(() => parseCsvTargets('a,y\nx,1\n', 'f.csv', { header: true })).toThrow(
      new DataFileError('f.csv', "row 0, column 'a': 'x' is not a number."),
    );
    expect(() => parseCsvTargets('a,y\n1,cat\n', 'f.csv', { header: true, classNames: ['dog'] })).toThrow(
      "f.csv: row 0: label 'cat' is not one of the classes dog.",
    );
    expect(() => parseCsvTargets('a,y\n1,2\n', 'f.csv', { header: true, target: 'z' })).toThrow(
      "f.csv: no column named 'z' (columns: a, y).",
    );
    expect(() => parseCsvTargets('1,2\n3,\n', 'f.csv', { task: 'regression' })).toThrow(
      "f.csv: row 1, target 'column 1': '' is not a number (regression).",
    );
  });
});
