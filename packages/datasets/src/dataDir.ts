import { fileURLToPath } from 'node:url';

/** The absolute path of a file in this package's `data/` folder (shipped beside `dist/`). */
export function dataFile(relative: string): string {
  return fileURLToPath(new URL(`../data/${relative}`, import.meta.url));
}
