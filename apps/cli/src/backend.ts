import { listBackends, useBackend, UnknownBackendError, BackendUnavailableError } from '@nutshell/backend';
import type { BackendSelection } from '@nutshell/backend';
// The wasm plugin registers itself on import, so 'auto' can pick it.
import '@nutshell/backend-wasm';
import { UsageError } from './errors.js';

/**
 * Selects the backend for a command and says which one and why. An unknown name is a usage error; a backend that
 * was named but cannot run here is an error that says why and how to fix it (never silently replaced).
 */
export async function selectBackend(choice: string, log: (line: string) => void): Promise<BackendSelection> {
  let selection: BackendSelection;
  try {
    selection = await useBackend(choice);
  } catch (e) {
    if (e instanceof UnknownBackendError) {
      const known = listBackends().map((p) => p.name);
      throw new UsageError(`unknown backend '${choice}'. Choose one of: auto, ${known.join(', ')}.`);
    }
    if (e instanceof BackendUnavailableError) throw new UsageError(e.message);
    throw e;
  }
  const skipped = selection.skipped.length
    ? `; passed over: ${selection.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`
    : '';
  log(`backend: ${selection.name} — ${selection.reason}${skipped}`);
  return selection;
}
