// tfjs-backend-wasm 4.22's Emscripten module installs process handlers when it initialises in Node:
// `uncaughtException` rethrows every error from inside the handler, and `unhandledRejection` throws the reason.
// Node then reports the error at the handler's line, a single ~38 KB line of minified Emscripten source, before
// the user's own message. Its code to remove them again never matches (`!list.indexOf(l) > -1` is always false).

type Listener = (...args: never[]) => void;
const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `init` (the wasm module's initialisation) and removes the `uncaughtException` and `unhandledRejection`
 * handlers it added to `process`, so an uncaught error is reported by Node's default handler: the user's message
 * and stack only. Handlers that were there before are kept. Does nothing outside Node.
 */
export async function withoutEmscriptenHandlers<T>(init: () => Promise<T>): Promise<T> {
  const proc = (
    globalThis as unknown as {
      process?: { listeners(e: string): Listener[]; removeListener(e: string, l: Listener): unknown };
    }
  ).process;
  if (!proc || typeof proc.listeners !== 'function') return init();
  const before = new Map(EVENTS.map((e) => [e, new Set(proc.listeners(e))]));
  try {
    return await init();
  } finally {
    for (const e of EVENTS) {
      for (const l of proc.listeners(e)) if (!before.get(e)!.has(l)) proc.removeListener(e, l);
    }
  }
}
