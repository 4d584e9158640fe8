import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64 } from './raster.js';

describe('base64', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('known values, and a view into a larger buffer encodes only its own bytes', () => {
    expect(base64(new TextEncoder().encode('hello'))).toBe('aGVsbG8=');
    expect(base64(new Uint8Array(0))).toBe('');
    const whole = Uint8Array.from([0, 1, 2, 0xfb, 0xff, 0xfe, 9]);
    expect(base64(whole.subarray(3, 6))).toBe('+//+');
  });

  it("without Node's Buffer (a browser) the btoa path gives the same string, over several 32 KiB chunks", () => {
    const bytes = Uint8Array.from({ length: 100_001 }, (_, i) => (i * 2654435761) >>> 24);
    const node = base64(bytes);
    expect(node).toBe(Buffer.from(bytes).toString('base64'));
    vi.stubGlobal('Buffer', undefined);
    expect(base64(bytes)).toBe(node);
  });
});
