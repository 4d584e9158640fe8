import { parseCsv, readCsv } from './csv.js';
import type { CsvReadOptions, CsvTable } from './csv.js';
import { DataFileError } from './errors.js';
import { parseNumberField } from './numberField.js';

/** Options of {@link csvTargets} and {@link loadCsvTargets}. @public */
export interface CsvTargetsOptions extends CsvReadOptions {
  /** The target column(s), by header name or index (negative from the end); default the last column. */
  readonly target?: number | string | readonly (number | string)[];
  /**
   * `'classification'`: one target column of class labels (strings or integers) → class indices;
   * `'regression'`: numeric targets. Default: classification when `classNames` is given or a target field is
   * not a number, regression otherwise.
   */
  readonly task?: 'classification' | 'regression';
  /** The classes in label order (default: the distinct labels, sorted; numbers numerically). */
  readonly classNames?: readonly string[];
}

/** A CSV table as features and targets. @public */
export interface CsvTargets {
  /** Samples. */
  readonly n: number;
  /** Features, row-major `[n, features]`. */
  readonly x: Float32Array;
  /** `[features]`. */
  readonly featureShape: readonly [number];
  /** Feature column names (from the header), or `column <i>`. */
  readonly featureNames: readonly string[];
  /** What the targets are. */
  readonly task: 'classification' | 'regression';
  /** Class indices `[n]` (classification) or target values `[n, targets]` row-major (regression). */
  readonly y: Int32Array | Float32Array;
  /** Target column names. */
  readonly targetNames: readonly string[];
  /** The classes in label order (classification only). */
  readonly classNames?: readonly string[];
}

const isNumber = (f: string): boolean => Number.isFinite(parseNumberField(f) ?? NaN);

/**
 * Splits a CSV table into numeric features and targets: numeric targets for regression (one or several columns),
 * or string / integer class labels for classification, their class names given or inferred. A feature that is
 * not a number, or an unknown label when `classNames` is given, is a `DataFileError` naming the row and column.
 * Classification targets go into `createDataset` / `ArrayDataset` as they are (`y`, `classNames`).
 * @example
 * ```ts
 * const houses = loadCsvTargets('houses.csv', { header: true, target: 'price' }); // task 'regression'
 * const iris = loadCsvTargets('iris.csv', { header: true, target: 'species' });   // classNames ['setosa', …]
 * ```
 * @public
 */
export function csvTargets(table: CsvTable, source = '<CSV>', options: CsvTargetsOptions = {}): CsvTargets {
  const { rows } = table;
  if (rows.length === 0) throw new DataFileError(source, 'no data rows.');
  const width = rows[0].length;
  const specs =
    options.target === undefined
      ? [-1]
      : Array.isArray(options.target)
        ? options.target
        : [options.target as number | string];
  const targetCols = specs.map((spec) => column(spec, table, width, source));
  if (new Set(targetCols).size !== targetCols.length)
    throw new DataFileError(source, `target columns repeat: ${specs.join(', ')}.`);
  const featureCols = Array.from({ length: width }, (_, c) => c).filter((c) => !targetCols.includes(c));
  const task =
    options.task ??
    (options.classNames || rows.some((r) => targetCols.some((c) => !isNumber(r[c])))
      ? 'classification'
      : 'regression');
  if (task === 'classification' && targetCols.length !== 1)
    throw new DataFileError(source, `classification takes one target column, got ${targetCols.length}.`);
  const name = (c: number) => table.columns?.[c] ?? `column ${c}`;

  const f = featureCols.length;
  const x = new Float32Array(rows.length * f);
  rows.forEach((row, r) => {
    featureCols.forEach((c, k) => {
      if (!isNumber(row[c]))
        throw new DataFileError(source, `row ${r}, column '${name(c)}': '${row[c]}' is not a number.`);
      x[r * f + k] = parseNumberField(row[c])!;
    });
  });
  const base = {
    n: rows.length,
    x,
    featureShape: [f] as const,
    featureNames: featureCols.map(name),
    targetNames: targetCols.map(name),
    task,
  };
  if (task === 'regression') {
    const t = targetCols.length;
    const y = new Float32Array(rows.length * t);
    rows.forEach((row, r) =>
      targetCols.forEach((c, k) => {
        if (!isNumber(row[c]))
          throw new DataFileError(
            source,
            `row ${r}, target '${name(c)}': '${row[c]}' is not a number (regression).`,
          );
        y[r * t + k] = parseNumberField(row[c])!;
      }),
    );
    return { ...base, y };
  }
  const c = targetCols[0];
  const labels = rows.map((row) => row[c]);
  const classNames = options.classNames ? [...options.classNames] : inferClasses(labels);
  const index = new Map(classNames.map((n, i) => [n, i]));
  const y = Int32Array.from(labels, (l, r) => {
    const i = index.get(l);
    if (i === undefined)
      throw new DataFileError(
        source,
        `row ${r}: label '${l}' is not one of the classes ${classNames.join(', ')}.`,
      );
    return i;
  });
  return { ...base, y, classNames };
}

/** Reads a CSV file (`.gz` is gunzipped) into features and targets; see {@link csvTargets}. @public */
export function loadCsvTargets(path: string, options: CsvTargetsOptions = {}): CsvTargets {
  return csvTargets(readCsv(path, options), path, options);
}

/** Parses CSV text into features and targets; see {@link csvTargets}. @public */
export function parseCsvTargets(
  text: string,
  source = '<CSV text>',
  options: CsvTargetsOptions = {},
): CsvTargets {
  return csvTargets(parseCsv(text, source, options), source, options);
}

function column(spec: number | string, table: CsvTable, width: number, source: string): number {
  let c = spec;
  if (typeof c === 'string') {
    c = table.columns?.indexOf(c) ?? -1;
    if (c < 0)
      throw new DataFileError(
        source,
        `no column named '${spec}' (columns: ${table.columns?.join(', ') ?? 'no header; give header: true'}).`,
      );
  }
  if (c < 0) c += width;
  if (!Number.isInteger(c) || c < 0 || c >= width)
    throw new DataFileError(source, `target column ${spec} is outside the ${width} columns.`);
  return c;
}

/** The distinct labels, sorted: numerically when all are numbers, else alphabetically. */
function inferClasses(labels: readonly string[]): string[] {
  const distinct = [...new Set(labels)];
  return distinct.every(isNumber)
    ? distinct.sort((a, b) => parseNumberField(a)! - parseNumberField(b)!)
    : distinct.sort();
}
