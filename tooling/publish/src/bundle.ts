// Building a tiny browser app with Vite from packages installed in a project, and reading what went in.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { build, type Rolldown } from 'vite';

/** What a build put in its bundle. */
export interface BundleResult {
  /** Installed packages that have at least one module in the bundle. */
  packages: Set<string>;
  /** Every bundled module id. */
  moduleIds: string[];
  /** Bytes of JavaScript emitted, unminified. */
  jsBytes: number;
  /** Warnings Vite printed. */
  warnings: string[];
}

function packageOf(id: string): string | undefined {
  const i = id.lastIndexOf(`${sep}node_modules${sep}`);
  if (i < 0) return undefined;
  const parts = id.slice(i + 14).split(sep);
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Builds `main.js` (given source) as a browser app in `projectDir/<name>`, resolving packages from `projectDir`. */
export async function bundleApp(projectDir: string, name: string, mainSource: string): Promise<BundleResult> {
  const root = join(projectDir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>\n');
  writeFileSync(join(root, 'main.js'), mainSource);
  const warnings: string[] = [];
  const out = await build({
    root,
    configFile: false,
    logLevel: 'silent',
    customLogger: {
      info: () => {},
      warn: (m: string) => warnings.push(m),
      warnOnce: (m: string) => warnings.push(m),
      error: (m: string) => warnings.push(m),
      clearScreen: () => {},
      hasErrorLogged: () => false,
      hasWarned: false,
    },
    build: { write: false, minify: false, reportCompressedSize: false, chunkSizeWarningLimit: 100_000 },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[];
  const moduleIds: string[] = [];
  let jsBytes = 0;
  for (const o of outputs) {
    for (const item of o.output) {
      if (item.type !== 'chunk') continue;
      moduleIds.push(...item.moduleIds);
      jsBytes += Buffer.byteLength(item.code);
    }
  }
  const packages = new Set(moduleIds.map(packageOf).filter((p): p is string => p !== undefined));
  return { packages, moduleIds, jsBytes, warnings };
}
