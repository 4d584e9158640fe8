import { useBackend, UnknownBackendError, BackendUnavailableError } from '@nutshell/backend';
import type { BackendSelection } from '@nutshell/backend';
import { UsageError } from './errors.js';

/**
 * Selects the backend for a command and says which one and why. The plugin packages the CLI depends on are found
 * by `useBackend` (their package.json declares them), so `--backend`, `nutshell backends` and `--help` agree.
 * An unknown name is a usage error listing every loadable backend; a backend that was named but cannot run here
 * is an error that says why and how to fix it (never silently replaced).
 */
export async function selectBackend(choice: string, log: (line: string) => void): Promise<BackendSelection> {
  let selection: BackendSelection;
  try {
    selection = await useBackend(choice);
  } catch (e) {
    if (e instanceof UnknownBackendError) {
      const fromEnv = process.env.NUTSHELL_BACKEND?.trim() === choice;
      throw new UsageError(
        `unknown backend '${choice}'${fromEnv ? ' (from NUTSHELL_BACKEND)' : ''}. Choose one of: ${e.known.join(', ')}.`,
      );
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
