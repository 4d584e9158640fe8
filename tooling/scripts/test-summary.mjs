// Sums vitest's per-package "Tests  N passed | M skipped" lines from a turbo log into one closing line,
// "N passed, N failed, N skipped", so a reader (or CI) sees the whole run at a glance.
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
let files = 0;
for (const line of log.split('\n')) {
  const m = line.match(/^\S*:?\s*Tests\s+(.*)\(\d+\)\s*$/);
  if (!m) continue;
  files++;
  for (const part of m[1].split('|')) {
    const p = part.trim().match(/^(\d+) (passed|failed|skipped|todo)/);
    if (p && p[2] !== 'todo') totals[p[2]] += Number(p[1]);
  }
}
console.log(`\nvitest runs summarised: ${files}`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
