// Publishing packed tarballs to the test registry.
import { run } from './process.js';
import type { Tarball } from './pack.js';

const PUBLISH_TIMEOUT_MS = 60_000;

/** `npm publish <tarball>` for each, a few at a time, with the registry's token. */
export async function publishAll(tarballs: readonly Tarball[], env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  const queue = [...tarballs];
  const worker = async () => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      await run('npm', ['publish', t.file, '--tag', 'latest'], { cwd, env, timeoutMs: PUBLISH_TIMEOUT_MS });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker(), worker()]);
}
