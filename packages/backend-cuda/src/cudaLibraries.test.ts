import { describe, expect, it } from 'vitest';
import { defaultLoaderDirs, parseLdconfigDirs } from './cudaLibraries.js';
import { compareVersions } from './requirements.js';

describe('where the loader looks', () => {
  it('reads the directories of the ldconfig cache', () => {
    const text =
      '3 libs found in cache `/etc/ld.so.cache\'\n' +
      '\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8\n' +
      '\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/targets/x86_64-linux/lib/libcudart.so.11.0\n' +
      '\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1\n';
    expect(parseLdconfigDirs(text)).toEqual([
      '/usr/lib/x86_64-linux-gnu',
      '/usr/local/cuda-11.2/targets/x86_64-linux/lib',
      '/lib/x86_64-linux-gnu',
    ]);
  });

  it('searches LD_LIBRARY_PATH first, then the cache and the defaults', () => {
    const dirs = defaultLoaderDirs({ LD_LIBRARY_PATH: '/opt/a:/opt/b' });
    expect(dirs.slice(0, 2)).toEqual(['/opt/a', '/opt/b']);
    expect(dirs).toContain('/usr/lib/x86_64-linux-gnu');
  });
});

describe('compareVersions', () => {
  it('compares numerically, part by part', () => {
    expect(compareVersions('460.27.03', '450.80.02')).toBeGreaterThan(0);
    expect(compareVersions('450.80.02', '450.80.2')).toBe(0);
    expect(compareVersions('440.33.01', '450.80.02')).toBeLessThan(0);
    expect(compareVersions('535.104', '535.104.05')).toBeLessThan(0);
  });
});
