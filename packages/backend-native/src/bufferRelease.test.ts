import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { NodeModules } from './bufferRelease.js';
import { findTransfer, releaseBuffer } from './bufferRelease.js';

const major = Number(process.versions.node.split('.')[0]);
const MB = 2 ** 20;

describe('findTransfer', () => {
  it('finds ArrayBuffer.prototype.transfer on every supported Node (20 included)', () => {
    expect(typeof findTransfer({ v8, vm })).toBe('function');
  });

  it.skipIf(major >= 21)('on Node 20, leaves this realm and contexts made later without it', () => {
    findTransfer({ v8, vm });
    expect('transfer' in ArrayBuffer.prototype).toBe(false);
    expect(vm.runInNewContext('typeof ArrayBuffer.prototype.transfer')).toBe('undefined');
  });

  it.skipIf(major >= 21)(
    'turns the flag off again when making the context fails, and gives undefined',
    () => {
      const flags: string[] = [];
      const failing: NodeModules = {
        v8: { setFlagsFromString: (f) => void flags.push(f) },
        vm: {
          runInNewContext: () => {
            throw new Error('no contexts here');
          },
        },
      };
      expect(findTransfer(failing)).toBeUndefined();
      expect(flags).toEqual(['--harmony-rab-gsab-transfer', '--no-harmony-rab-gsab-transfer']);
    },
  );

  it.skipIf(major >= 21)('gives undefined where the private context has no transfer either', () => {
    const old: NodeModules = {
      v8: { setFlagsFromString: () => undefined },
      vm: { runInNewContext: () => undefined },
    };
    expect(findTransfer(old)).toBeUndefined();
  });
});

describe('releaseBuffer', () => {
  const transfer = findTransfer({ v8, vm });

  it("frees a buffer's memory at once and detaches it", () => {
    const buffer = new ArrayBuffer(32 * MB);
    const view = new Float32Array(buffer).fill(1);
    const before = process.memoryUsage().arrayBuffers;
    releaseBuffer(buffer, transfer);
    expect(buffer.byteLength).toBe(0);
    expect(view.length).toBe(0);
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(32 * MB);
  });

  it('frees a buffer made in another realm (the binding makes its copies in the main context)', () => {
    const buffer = vm.runInNewContext('new ArrayBuffer(1024)') as ArrayBuffer;
    releaseBuffer(buffer, transfer);
    expect(buffer.byteLength).toBe(0);
  });

  it('leaves a shared or empty buffer alone, and does nothing without a transfer function', () => {
    const shared = new SharedArrayBuffer(64);
    releaseBuffer(shared, transfer);
    expect(shared.byteLength).toBe(64);
    expect(() => releaseBuffer(new ArrayBuffer(0), transfer)).not.toThrow();
    const kept = new ArrayBuffer(64);
    releaseBuffer(kept, undefined);
    expect(kept.byteLength).toBe(64);
  });
});
