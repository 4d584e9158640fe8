import { describe, expect, it } from 'vitest';
import { lastBackendSelection, useBackend } from '@nutshell/backend';
import { ensureBackend } from './autoBackend.js';

describe('ensureBackend after the program chose a backend', () => {
  it('keeps that backend and prints nothing', async () => {
    await useBackend('cpu');
    const lines: string[] = [];
    await ensureBackend((l) => lines.push(l));
    expect(lines).toEqual([]);
    expect(lastBackendSelection()).toMatchObject({ name: 'cpu', reason: 'named by useBackend' });
  });
});
