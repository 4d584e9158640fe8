import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxRuntime, optOutOfTelemetry } from './onnxRuntime.js';

describe("ONNX Runtime's telemetry", () => {
  it('is turned off unless the user set ORT_DISABLE_TELEMETRY', () => {
    const unset: Record<string, string | undefined> = {};
    optOutOfTelemetry(unset);
    expect(unset.ORT_DISABLE_TELEMETRY).toBe('1');
    const chosen: Record<string, string | undefined> = { ORT_DISABLE_TELEMETRY: '0' };
    optOutOfTelemetry(chosen);
    expect(chosen.ORT_DISABLE_TELEMETRY).toBe('0');
  });

  it('loading the runtime sets the variable in this process', async () => {
    const before = process.env.ORT_DISABLE_TELEMETRY;
    await loadOnnxRuntime();
    expect(process.env.ORT_DISABLE_TELEMETRY).toBe(before ?? '1');
  });

  it('with the variable set, initialising the library writes nothing under HOME', () => {
    const home = mkdtempSync(join(tmpdir(), 'nutshell-ort-home-'));
    try {
      const script = `
        import { createRequire } from 'node:module';
        const require = createRequire(${JSON.stringify(import.meta.url)});
        require('onnxruntime-node/dist/binding.js').initOrt();`;
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ORT_DISABLE_TELEMETRY: '1' };
      delete env.XDG_CACHE_HOME;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(join(home, '.cache', 'Microsoft'))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
