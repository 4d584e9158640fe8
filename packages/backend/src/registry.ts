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
 * - `'auto'`: the highest-priority usable plugin; installed plugin packages are imported first. Plugins are probed
 *   from the highest ceiling down (a plugin's optional `probeCeiling()`, else its `priority`), and one whose ceiling
 *   is not above a usable backend already found is not probed at all; `skipped` says so, with the ceiling's reason.
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
  // Probe from the highest ceiling down, and only as far as needed: once a usable backend ranks at or above every
  // ceiling not yet probed, no later probe could beat it, so those plugins (and their native libraries) stay unloaded.
  const queue = [...plugins.values()]
    .map((plugin) => ({ plugin, ceiling: ceilingOf(plugin) }))
    .sort((a, b) => b.ceiling.priority - a.ceiling.priority);
  const candidates: Candidate[] = [];
  for (;;) {
    while (queue.length && !(candidates.length && candidates[0].priority >= queue[0].ceiling.priority)) {
      const { plugin } = queue.shift()!;
      let probe;
      try {
        probe = await plugin.probe();
      } catch (e) {
        skipped.push({ name: plugin.name, reason: `probe failed: ${(e as Error).message}` });
        continue;
      }
      if (!probe.usable) {
        skipped.push({ name: plugin.name, reason: probe.reason });
        continue;
      }
      candidates.push({ plugin, priority: probe.priority ?? plugin.priority, detail: probe.detail });
      candidates.sort((a, b) => b.priority - a.priority);
    }
    const c = candidates.shift();
    if (!c) break;
    try {
      await leaveCurrentFor(c.plugin);
      await c.plugin.activate();
    } catch (e) {
      skipped.push({ name: c.plugin.name, reason: `activation failed: ${(e as Error).message}` });
      continue;
    }
    current = c.plugin;
    for (const o of candidates)
      skipped.push({ name: o.plugin.name, reason: `usable, but lower priority (${o.priority})` });
    for (const { plugin, ceiling } of queue)
      skipped.push({
        name: plugin.name,
        reason:
          `not probed: ${c.plugin.name} (priority ${c.priority}) ranks at or above the most its probe could ` +
          `report here (${ceiling.priority}${ceiling.reason ? `: ${ceiling.reason}` : ''})`,
      });
    lastSelection = {
      name: c.plugin.name,
      reason: `'auto': highest-priority usable backend (priority ${c.priority}${c.detail ? `; ${c.detail}` : ''})`,
      skipped,
    };
    return lastSelection;
  }
  // The CPU backend cannot fail to probe or activate, so this is unreachable unless it was replaced.
  throw new BackendUnavailableError(
    'auto',
    'no registered backend could be activated.',
    'Import @nutshell/backend.',
  );
}

interface Candidate {
  readonly plugin: BackendPlugin;
  readonly priority: number;
  readonly detail?: string;
}

/**
 * The most a plugin's probe can report here, known without probing it: its `probeCeiling()` if it has one,
 * otherwise its `priority`, which a probe may lower, not raise.
 */
function ceilingOf(plugin: BackendPlugin): { priority: number; reason?: string } {
  if (typeof plugin.probeCeiling !== 'function') return { priority: plugin.priority };
  try {
    const c = plugin.probeCeiling();
    return Number.isFinite(c.priority) ? c : { priority: plugin.priority };
  } catch {
    return { priority: plugin.priority }; // a ceiling that cannot be worked out must not hide the plugin
  }
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
