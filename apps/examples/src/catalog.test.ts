import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './catalog.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('the examples catalog', () => {
  it('lists every program in src, each with a test, and the README has one line per program', () => {
    const programs = readdirSync(here).filter(
      (f) =>
        f.endsWith('.ts') && !f.endsWith('.test.ts') && !['index.ts', 'catalog.ts', 'run.ts'].includes(f),
    );
    expect(EXAMPLES.map((e) => e.file).sort()).toEqual(programs.sort());
    for (const e of EXAMPLES)
      expect(existsSync(join(here, e.file.replace(/\.ts$/, '.test.ts'))), `${e.file} has a test`).toBe(true);
    const readme = readFileSync(join(here, '..', 'README.md'), 'utf8').replace(/ +/g, ' '); // table padding aside
    for (const e of EXAMPLES) expect(readme).toContain(`| \`${e.name}\` | ${e.concept} |`);
  });

  it('`pnpm example` with an unknown name lists the programs and exits 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'run.ts'), 'nope'], {
      encoding: 'utf8',
      cwd: join(here, '..'),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown example 'nope'. Usage: pnpm example <name> [args]");
    for (const e of EXAMPLES) expect(r.stderr).toContain(e.name);
  }, 30_000);
});
