// Packed and installed sizes of each package, what each pulls in, and the budgets they must stay within.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diskSize } from './npm.js';
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

/** One installed package in a tree: its directory and what it requires at run time. */
interface InstalledPackage {
  dir: string;
  requires: string[];
}

function readInstalled(dir: string): { requires: string[] } {
  const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const optionalPeers = new Set(Object.entries<any>(m.peerDependenciesMeta ?? {}).filter(([, v]) => v?.optional).map(([k]) => k));
  const peers = Object.keys(m.peerDependencies ?? {}).filter((p) => !optionalPeers.has(p));
  return { requires: [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.optionalDependencies ?? {}), ...peers] };
}

/** Node's lookup: `name` from `fromDir`, walking up through node_modules directories to `root`. */
function resolveFrom(root: string, fromDir: string, name: string): string | undefined {
  for (let d = fromDir; d.startsWith(root); d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (d === root) break;
  }
  return undefined;
}

/**
 * The packages installing `name` brings, read from an npm tree that contains it (the `@nutshell/all` project holds
 * every package): its dependencies, optional dependencies that were installed, and non-optional peers, transitively.
 * Keyed by package name; each with its directory.
 */
export function closureIn(projectDir: string, name: string): Map<string, InstalledPackage> {
  const out = new Map<string, InstalledPackage>();
  const visit = (pkg: string, from: string) => {
    const dir = resolveFrom(projectDir, from, pkg);
    if (!dir || out.has(pkg)) return; // an optional dependency for another platform is simply not installed
    const entry = { dir, ...readInstalled(dir) };
    out.set(pkg, entry);
    for (const r of entry.requires) visit(r, dir);
  };
  visit(name, projectDir);
  return out;
}

function ownSize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules') continue;
    total += diskSize(join(dir, e));
  }
  return total;
}

/** Measures `name` as installed alone, from its closure in a tree that contains it; `baseline` is tfjs-core's closure. */
export function measure(name: string, packedBytes: number, projectDir: string, baseline: ReadonlySet<string>): SizeRow {
  const closure = closureIn(projectDir, name);
  for (const [n, p] of closureIn(projectDir, '@tensorflow/tfjs-core')) closure.set(n, p);
  const installed = [...closure.keys()].filter((n) => n !== name).sort();
  return {
    name,
    packedBytes,
    unpackedBytes: ownSize(closure.get(name)!.dir),
    installedBytes: [...closure.values()].reduce((t, p) => t + ownSize(p.dir), 0),
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
    '¹ What `npm install <package> @tensorflow/tfjs-core@4.22.0` puts in an empty project\'s `node_modules`, tfjs-core',
    '(47 MiB by itself) included. ² Beyond what `@tensorflow/tfjs-core` installs by itself.',
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
