import { describe, expect, it, vi } from 'vitest';
import { lastBackendSelection } from '@nutshell/backend';
import { tf } from '@nutshell/tensor';
import { ensureBackend, notice } from './autoBackend.js';

// Runs in its own module graph (vitest isolates test files), so no earlier useBackend call is seen here.
describe('ensureBackend: the fastest backend without asking', () => {
  it('selects a backend once when the program chose none, says which in one line, and is quiet afterwards', async () => {
    expect(lastBackendSelection().reason).toBe('built-in default');
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    await Promise.all([ensureBackend(log), ensureBackend(log)]);
    await ensureBackend(log);
    expect(lines).toHaveLength(1);
    const chosen = lastBackendSelection();
    expect(chosen.name).toBe(tf.getBackend());
    const how = process.env.NUTSHELL_BACKEND ? 'named by NUTSHELL_BACKEND' : "'auto'";
    expect(lines[0]).toContain(`backend: ${chosen.name} (${how}`);
    expect(lines[0]).toContain('choose with useBackend(name) or NUTSHELL_BACKEND=<name>');
  });

  it("the Trainer's notice goes to standard error in Node, so a program's standard output stays its own", () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      notice('backend: wasm');
      expect(err).toHaveBeenCalledWith('backend: wasm\n');
      expect(out).not.toHaveBeenCalled();
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
