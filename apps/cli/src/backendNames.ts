import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The backend names the CLI can compute on: `cpu` (built in) and every name the plugin packages it depends on
 * declare (`"nutshell": { "backends": [...] }` in their package.json, the convention `useBackend` discovers them by).
 * Read from the manifests, without loading the engine, so `--help` stays instant and agrees with
 * `nutshell backends` and `--backend`.
 */
export function cliBackendNames(): string[] {
  const require = createRequire(import.meta.url);
  const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const names = ['cpu'];
  for (const dep of Object.keys(own.dependencies ?? {})) {
    if (!dep.startsWith('@nutshell/backend-')) continue;
    try {
      const manifest = JSON.parse(readFileSync(require.resolve(`${dep}/package.json`), 'utf8')) as {
        nutshell?: { backends?: string[] };
      };
      names.push(...(manifest.nutshell?.backends ?? []));
    } catch {
      // Not installed (a partial install): `nutshell backends` reports it; help lists what is here.
    }
  }
  return [...new Set(names)];
}
