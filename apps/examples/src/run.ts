// `pnpm example <name> [args]`: runs one example program (listed in catalog.ts and the README).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from './catalog.js';

const [name, ...args] = process.argv.slice(2);
const example = EXAMPLES.find((e) => e.name === name);
if (!example) {
  const list = EXAMPLES.map((e) => `  ${e.name.padEnd(22)} ${e.concept}`).join('\n');
  console.error(`${name ? `unknown example '${name}'. ` : ''}Usage: pnpm example <name> [args]\n\n${list}`);
  process.exit(name ? 2 : 1);
}
const file = join(dirname(fileURLToPath(import.meta.url)), example.file);
const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
