import { tf } from './tfjs.js';
import { cpuBackend } from './cpu.js';
import { BackendUnavailableError, NutshellError, UnknownBackendError } from './errors.js';
import type { BackendInfo, BackendPlugin } from './plugin.js';
import { importInstalled } from './importInstalled.js';
import { discoverPlugins } from './discoverPlugins.js';
import type { DiscoveredPlugin } from './discoverPlugins.js';

/**
 * What `useBackend` chose and why, including every candidate `'auto'` passed over.
 * @public
 */
export interface BackendSelection {
  /** The backend now current. */
  readonly name: string;
  /** Why it was chosen, in words. */
  readonly reason: string;
  /** The candidates `'auto'` considered and did not take, with the reason for each. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * The installed plugin packages (declared by `"nutshell": { "backends": [...] }` in their package.json), found
 * once per process; `useBackend` imports them on demand. Empty where there is no filesystem (browsers).
 */
let installed: Promise<DiscoveredPlugin[]> | undefined;
function installedPlugins(): Promise<DiscoveredPlugin[]> {
  installed ??= discoverPlugins().catch(() => []);
  return installed;
}

const plugins = new Map<string, BackendPlugin>([[cpuBackend.name, cpuBackend]]);
let current: BackendPlugin = cpuBackend;
let lastSelection: BackendSelection = { name: 'cpu', reason: 'built-in default', skipped: [] };

/**
 * Registers a backend plugin so it can be selected by name or by `'auto'`. Plugin packages call this when
 * imported. Registering a name again replaces the earlier plugin.
 * @public
 */
export function registerBackend(plugin: BackendPlugin): void {
  if (!plugin || typeof plugin.name !== 'string' || typeof plugin.probe !== 'function') {
    throw new NutshellError(
      'registerBackend: expected a BackendPlugin with name, priority, probe, activate, info.',
    );
  }
  plugins.set(plugin.name, plugin);
}

/**
 * The registered backend plugins, highest priority first.
 * @public
 */
export function listBackends(): BackendPlugin[] {
  return [...plugins.values()].sort((a, b) => b.priority - a.priority);
}

/**
 * The registered plugin with this name, or `undefined`.
 * @public
 */
export function getBackendPlugin(name: string): BackendPlugin | undefined {
  return findPlugin(name);
}

/** The registered plugin whose name matches `name` ignoring case (`'WASM'` is `'wasm'`). */
function findPlugin(name: string): BackendPlugin | undefined {
  const key = name.toLowerCase();
  return plugins.get(name) ?? [...plugins.values()].find((p) => p.name.toLowerCase() === key);
}

async function resolveByName(requested: string, fromEnv: boolean): Promise<BackendPlugin> {
  let plugin = findPlugin(requested);
  const lower = requested.toLowerCase();
  const declaring = plugin
    ? undefined
    : (await installedPlugins()).find((p) => p.backends.some((b) => b.toLowerCase() === lower));
  const name = declaring?.backends.find((b) => b.toLowerCase() === lower) ?? requested;
  if (declaring) {
    await importInstalled(declaring.packageName, [declaring.appDir]);
    plugin = plugins.get(name);
    if (!plugin) {
      throw new BackendUnavailableError(
        name,
        `${declaring.packageName} declares the backend '${name}' in its package.json but registered no plugin of that name when imported.`,
        `Import the plugin object from ${declaring.packageName} and pass it to useBackend, or report this to its maintainers.`,
      );
    }
  }
  if (!plugin) {
    // Every name useBackend would accept here: registered plugins and those installed packages declare.
    const loadable = new Set([
      'auto',
      ...plugins.keys(),
      ...(await installedPlugins()).flatMap((p) => p.backends),
    ]);
    throw new UnknownBackendError(requested, [...loadable], fromEnv);
  }
  return plugin;
}

async function activatePlugin(plugin: BackendPlugin): Promise<void> {
  const probe = await plugin.probe();
  if (!probe.usable) throw new BackendUnavailableError(plugin.name, probe.reason, probe.fix);
  await leaveCurrentFor(plugin);
  await plugin.activate();
  current = plugin;
}

/** Lets the current backend read its tensors back (asynchronously) before `next` becomes current. */
async function leaveCurrentFor(next: BackendPlugin): Promise<void> {
  if (current === next || !current.readBackTensors || tf.getBackend() !== current.name) return;
  await current.readBackTensors();
}

/**
 * Selects the backend every Nutshell computation runs on.
 *
 * - a name (`'cpu'`, `'wasm'`, `'webgpu'`, `'cuda'`, ..., in any case) or a plugin object: that backend, or a
 *   `BackendUnavailableError` saying why not and how to fix it. It is never silently replaced.
 * - `'auto'`: the highest-priority usable plugin; installed plugin packages are imported first.
 * - nothing: the `NUTSHELL_BACKEND` environment variable if set, otherwise `'auto'`.
 *
 * Returns what was chosen and why.
 * @public
 */
export async function useBackend(choice?: 'auto' | string | BackendPlugin): Promise<BackendSelection> {
  const requested = choice ?? readEnvBackend() ?? 'auto';
  if (typeof requested === 'object') {
    registerBackend(requested);
    await activatePlugin(requested);
    lastSelection = { name: requested.name, reason: 'selected as a plugin object', skipped: [] };
    return lastSelection;
  }
  if (requested.toLowerCase() !== 'auto') {
    const plugin = await resolveByName(requested, choice === undefined);
    await activatePlugin(plugin);
    const how = choice === undefined ? 'NUTSHELL_BACKEND' : 'useBackend';
    lastSelection = { name: plugin.name, reason: `named by ${how}`, skipped: [] };
    return lastSelection;
  }
  const skipped: { name: string; reason: string }[] = [];
  for (const pkg of await installedPlugins()) {
    if (pkg.backends.every((name) => plugins.has(name))) continue;
    try {
      await importInstalled(pkg.packageName, [pkg.appDir]);
    } catch (e) {
      const why = `${pkg.packageName} is installed but failed to load: ${(e as Error).message}`;
      for (const name of pkg.backends) if (!plugins.has(name)) skipped.push({ name, reason: why });
    }
  }
  const candidates: { plugin: BackendPlugin; priority: number; detail?: string }[] = [];
  for (const plugin of plugins.values()) {
    let probe;
    try {
      probe = await plugin.probe();
    } catch (e) {
      skipped.push({ name: plugin.name, reason: `probe failed: ${(e as Error).message}` });
      continue;
    }
    if (probe.usable)
      candidates.push({ plugin, priority: probe.priority ?? plugin.priority, detail: probe.detail });
    else skipped.push({ name: plugin.name, reason: probe.reason });
  }
  candidates.sort((a, b) => b.priority - a.priority);
  for (const c of candidates) {
    try {
      await leaveCurrentFor(c.plugin);
      await c.plugin.activate();
      current = c.plugin;
      const others = candidates.filter((o) => o !== c && o.priority < c.priority);
      for (const o of others)
        skipped.push({ name: o.plugin.name, reason: `usable, but lower priority (${o.priority})` });
      lastSelection = {
        name: c.plugin.name,
        reason: `'auto': highest-priority usable backend (priority ${c.priority}${c.detail ? `; ${c.detail}` : ''})`,
        skipped,
      };
      return lastSelection;
    } catch (e) {
      skipped.push({ name: c.plugin.name, reason: `activation failed: ${(e as Error).message}` });
    }
  }
  // The CPU backend cannot fail to probe or activate, so this is unreachable unless it was replaced.
  throw new BackendUnavailableError(
    'auto',
    'no registered backend could be activated.',
    'Import @nutshell/backend.',
  );
}

function readEnvBackend(): string | undefined {
  const value = typeof process !== 'undefined' ? process.env?.NUTSHELL_BACKEND : undefined;
  return value ? value.trim() : undefined;
}

/**
 * The plugin that is current now.
 * @public
 */
export function currentBackend(): BackendPlugin {
  return current;
}

/**
 * What the last `useBackend` call chose and why.
 * @public
 */
export function lastBackendSelection(): BackendSelection {
  return lastSelection;
}

/**
 * The current backend's info: device, precision, memory in use.
 * @public
 */
export function backendInfo(): BackendInfo {
  return current.info();
}

/**
 * Waits until the current backend is initialised (async backends such as wasm and webgpu).
 * @public
 */
export async function ready(): Promise<void> {
  await tf.ready();
}
