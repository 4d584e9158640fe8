import { lastBackendSelection, useBackend } from '@nutshell/backend';

let chosen: Promise<void> | undefined;

/**
 * Makes sure training runs on the fastest usable backend: the first time it is called in a process, unless the
 * program has already chosen one with `useBackend`, it selects the one `NUTSHELL_BACKEND` names or else `'auto'`
 * (the highest-priority usable installed plugin), and says which in one line. Later calls do nothing.
 */
export function ensureBackend(log: (line: string) => void): Promise<void> {
  chosen ??= (async () => {
    if (backendChosenByProgram()) return;
    const selection = await useBackend();
    log(
      `backend: ${selection.name} (${selection.reason}); choose with useBackend(name) or NUTSHELL_BACKEND=<name>`,
    );
  })();
  // A failed selection (an unknown NUTSHELL_BACKEND, say) is reported again on the next call, not swallowed.
  chosen.catch(() => (chosen = undefined));
  return chosen;
}

/** True once `useBackend` has been called in this process. */
function backendChosenByProgram(): boolean {
  return lastBackendSelection().reason !== 'built-in default';
}

/**
 * Writes a one-line notice where it does not mix with a program's own output: standard error in Node (a script
 * that prints JSON on standard output stays parseable), the console elsewhere.
 */
export function notice(line: string): void {
  if (typeof process !== 'undefined' && process.stderr?.write) process.stderr.write(`${line}\n`);
  else console.info(line);
}
