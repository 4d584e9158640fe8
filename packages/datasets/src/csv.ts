import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { createDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { DataFileError } from './errors.js';
import { parseNumberField } from './numberField.js';

/** Options for {@link readCsv}. @public */
export interface CsvReadOptions {
  /** Field delimiter; default `,`. */
  readonly delimiter?: string;
  /** Treat the first row as column names; default `false`. */
  readonly header?: boolean;
  /** Rows to skip before the header or data (e.g. a metadata line); default 0. */
  readonly skipRows?: number;
}

/** A CSV table: column names when there was a header, and the rows as strings. @public */
export interface CsvTable {
  readonly columns?: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(
      path,
      code === 'ENOENT' ? 'no such file.' : `cannot read: ${(e as Error).message}`,
    );
  }
  if (path.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataFileError(path, `cannot read gzip data: ${(e as Error).message}`);
    }
  }
  return bytes.toString('utf8');
}

/**
 * Parses CSV text with `csv-parse` (quoting, escapes, CRLF). Every row must have the same number of fields: a
 * ragged row is a {@link DataFileError} naming `source` and the line.
 * @public
 */
export function parseCsv(text: string, source = '<CSV text>', options: CsvReadOptions = {}): CsvTable {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: options.delimiter ?? ',',
      from_line: (options.skipRows ?? 0) + 1,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw new DataFileError(source, `malformed CSV: ${(e as Error).message}`);
  }
  if (options.header) {
    if (records.length === 0)
      throw new DataFileError(source, 'expected a header row, but the file is empty.');
    return { columns: records[0], rows: records.slice(1) };
  }
  return { rows: records };
}

/**
 * Reads a CSV file (`.gz` is gunzipped). See {@link parseCsv}.
 * @public
 */
export function readCsv(path: string, options: CsvReadOptions = {}): CsvTable {
  return parseCsv(readText(path), path, options);
}

/** Options for {@link csvToDataset} and {@link loadCsvDataset}. @public */
export interface CsvDatasetOptions extends CsvReadOptions {
  /** The column holding the class label: an index (negative counts from the end) or a header name; default −1 (last). */
  readonly labelColumn?: number | string;
  /** Class names, index = label; when absent, labels must be integers 0, 1, 2, ... */
  readonly classNames?: readonly string[];
  /** Feature names when the file has no header. */
  readonly featureNames?: readonly string[];
}

/**
 * Turns a CSV table of numbers into a classification {@link Dataset}. A field that is not a number is a
 * {@link DataFileError} naming the row and column; a label not in `classNames` or not an integer ≥ 0 likewise;
 * an empty field or `NaN` is a {@link DatasetError} naming the row and feature.
 * Rows are counted from 0 among the data rows (the header excluded).
 * @public
 */
export function csvToDataset(table: CsvTable, source = '<CSV>', options: CsvDatasetOptions = {}): Dataset {
  const { rows } = table;
  if (rows.length === 0) throw new DataFileError(source, 'no data rows.');
  const width = rows[0].length;
  let label = options.labelColumn ?? -1;
  if (typeof label === 'string') {
    const at = table.columns?.indexOf(label) ?? -1;
    if (at < 0)
      throw new DataFileError(
        source,
        `no column named '${label}' (columns: ${table.columns?.join(', ') ?? 'no header'}).`,
      );
    label = at;
  }
  if (label < 0) label += width;
  if (!Number.isInteger(label) || label < 0 || label >= width) {
    throw new DataFileError(source, `label column ${options.labelColumn} is outside the ${width} columns.`);
  }
  const features = width - 1;
  const x = new Float32Array(rows.length * features);
  const y = new Int32Array(rows.length);
  const names = options.classNames;
  rows.forEach((row, r) => {
    let k = 0;
    for (let c = 0; c < width; c++) {
      const field = row[c];
      if (c === label) {
        const byName = names ? names.indexOf(field) : -1;
        const v = byName >= 0 ? byName : parseNumberField(field);
        if (v === undefined || !Number.isInteger(v) || v < 0) {
          throw new DataFileError(
            source,
            `row ${r}: label '${field}' is not ${names ? `one of ${names.join(', ')} or ` : ''}an integer ≥ 0.`,
          );
        }
        y[r] = v;
      } else {
        const v = field === '' ? NaN : parseNumberField(field);
        if (v === undefined) {
          throw new DataFileError(source, `row ${r}, column ${c}: '${field}' is not a number.`);
        }
        x[r * features + k++] = v;
      }
    }
  });
  const featureNames = options.featureNames ?? table.columns?.filter((_, c) => c !== label);
  return createDataset({ x, y, featureShape: [features], classNames: names, featureNames }, source);
}

/**
 * Reads a CSV file of numbers into a classification {@link Dataset} (see {@link csvToDataset}).
 *
 * @example
 * ```ts
 * const data = loadCsvDataset('iris.csv', { header: true, labelColumn: 'species', classNames: ['setosa', 'versicolor', 'virginica'] });
 * ```
 * @public
 */
export function loadCsvDataset(path: string, options: CsvDatasetOptions = {}): Dataset {
  return csvToDataset(readCsv(path, options), path, options);
}
