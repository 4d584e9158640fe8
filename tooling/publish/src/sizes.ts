// Packed and installed sizes of each package, what each pulls in, and the budgets they must stay within.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskSize, installedPackages } from './npm.js';
import { ROOT } from './workspace.js';

/** A package's budget: sizes it may not exceed and packages it must not pull in. */
export interface Budget {
  packedKiB: number;
  installedMiB: number;
  /** Packages that must not be installed with it (e.g. WebGPU for @nutshell/activations). */
  mustNotPullIn?: string[];
}

/** What was measured for one package installed alone (with its peer @tensorflow/tfjs-core). */
export interface SizeRow {
  name: string;
  packedBytes: number;
  unpackedBytes: number;
  installedBytes: number;
  /** Every package the install contains besides the package itself. */
  installed: string[];
  /** The Nutshell packages it pulls in. */
  nutshell: string[];
  /** Third-party packages beyond what @tensorflow/tfjs-core alone installs. */
  thirdParty: string[];
}

/** The budgets, from `size-budget.json` beside this package's package.json. */
export function readBudgets(): Record<string, Budget> {
  return JSON.parse(readFileSync(join(ROOT, 'tooling', 'publish', 'size-budget.json'), 'utf8'));
}

/** Measures an install directory in which `name` was installed alone; `baseline` is what tfjs-core alone installs. */
export function measure(name: string, packedBytes: number, projectDir: string, baseline: ReadonlySet<string>): SizeRow {
  const pkgs = installedPackages(projectDir);
  const own = pkgs.get(name);
  if (!own) throw new Error(`${name} is not installed in ${projectDir}`);
  const installed = [...pkgs.keys()].filter((n) => n !== name).sort();
  return {
    name,
    packedBytes,
    unpackedBytes: diskSize(own),
    installedBytes: diskSize(join(projectDir, 'node_modules')),
    installed,
    nutshell: installed.filter((n) => n.startsWith('@nutshell/')),
    thirdParty: installed.filter((n) => !n.startsWith('@nutshell/') && !baseline.has(n) && n !== '@tensorflow/tfjs-core'),
  };
}

/** Every way `row` breaks `budget`, as sentences (empty when within budget). */
export function budgetViolations(row: SizeRow, budget: Budget | undefined): string[] {
  if (!budget) return [`${row.name} has no entry in tooling/publish/size-budget.json`];
  const out: string[] = [];
  const packedKiB = row.packedBytes / 1024;
  const installedMiB = row.installedBytes / 1024 / 1024;
  if (packedKiB > budget.packedKiB) out.push(`${row.name} packs to ${packedKiB.toFixed(1)} KiB, over its budget of ${budget.packedKiB} KiB`);
  if (installedMiB > budget.installedMiB) {
    out.push(`${row.name} installs to ${installedMiB.toFixed(1)} MiB, over its budget of ${budget.installedMiB} MiB`);
  }
  for (const banned of budget.mustNotPullIn ?? []) {
    if (row.installed.includes(banned)) out.push(`${row.name} pulls in ${banned}, which its budget forbids`);
  }
  return out;
}

function kib(b: number): string {
  return `${(b / 1024).toFixed(1)} KiB`;
}
function mib(b: number): string {
  return `${(b / 1024 / 1024).toFixed(1)} MiB`;
}

/** The README table. */
export function sizeTable(rows: readonly SizeRow[], budgets: Record<string, Budget>): string {
  const lines = [
    '| package | packed | unpacked | installed alone¹ | budget (packed / installed) | pulls in (Nutshell) | pulls in (third-party²) |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    const b = budgets[r.name];
    const nut = r.nutshell.map((n) => n.replace('@nutshell/', '')).join(', ') || '—';
    const third = r.thirdParty.length > 8 ? `${r.thirdParty.slice(0, 8).join(', ')}, … (${r.thirdParty.length})` : r.thirdParty.join(', ') || '—';
    lines.push(
      `| \`${r.name}\` | ${kib(r.packedBytes)} | ${kib(r.unpackedBytes)} | ${mib(r.installedBytes)} | ${b ? `${b.packedKiB} KiB / ${b.installedMiB} MiB` : '—'} | ${nut} | ${third} |`,
    );
  }
  lines.push(
    '',
    '¹ `npm install <package> @tensorflow/tfjs-core@4.22.0` in an empty project: the whole `node_modules`, tfjs-core',
    'included. ² Beyond what `@tensorflow/tfjs-core` installs by itself.',
  );
  return lines.join('\n');
}

const START = '<!-- size-table:start -->';
const END = '<!-- size-table:end -->';

/** Replaces the text between the size-table markers in the root README. */
export function writeSizeTableToReadme(table: string): void {
  const file = join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section`);
  writeFileSync(file, `${text.slice(0, a + START.length)}\n${table}\n${text.slice(b)}`);
}
