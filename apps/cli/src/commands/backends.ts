import { listBackends, useBackend } from '@nutshell/backend';

/** One plugin's probe result, as `nutshell backends` prints it. */
export interface BackendReport {
  readonly name: string;
  readonly priority: number;
  readonly packageName?: string;
  readonly usable: boolean;
  /** What the probe found, or why the backend cannot be used here. */
  readonly detail: string;
  /** How to make it usable (when it is not). */
  readonly fix?: string;
}

/** Probes every registered backend plugin (importing the installed plugin packages first). */
export async function probeBackends(): Promise<{ reports: BackendReport[]; auto: string; reason: string }> {
  // 'auto' imports every installed plugin package, so the list below is complete; it also tells what it would pick.
  const selection = await useBackend('auto');
  const reports: BackendReport[] = [];
  for (const plugin of listBackends()) {
    let probe;
    try {
      probe = await plugin.probe();
    } catch (e) {
      reports.push({
        name: plugin.name,
        priority: plugin.priority,
        packageName: plugin.packageName,
        usable: false,
        detail: `probe threw: ${(e as Error).message}`,
      });
      continue;
    }
    reports.push(
      probe.usable
        ? {
            name: plugin.name,
            priority: probe.priority ?? plugin.priority,
            packageName: plugin.packageName,
            usable: true,
            detail: probe.detail ?? 'usable',
          }
        : {
            name: plugin.name,
            priority: plugin.priority,
            packageName: plugin.packageName,
            usable: false,
            detail: probe.reason,
            fix: probe.fix,
          },
    );
  }
  return { reports, auto: selection.name, reason: selection.reason };
}

/** `nutshell backends`: each plugin, its probe result and why; which one 'auto' takes. */
export async function backendsCommand(
  options: { json?: boolean },
  out: (line: string) => void,
): Promise<void> {
  const { reports, auto, reason } = await probeBackends();
  if (options.json) {
    out(JSON.stringify({ auto, reason, backends: reports }, null, 2));
    return;
  }
  for (const r of reports) {
    const mark = r.usable ? 'usable    ' : 'not usable';
    out(
      `${r.name.padEnd(11)} ${mark}  priority ${String(r.priority).padEnd(4)} ${r.packageName ?? '(built in)'}`,
    );
    out(`            ${r.usable ? '' : 'why: '}${r.detail}`);
    if (r.fix) out(`            fix: ${r.fix}`);
  }
  out(`'auto' selects: ${auto} (${reason})`);
}
