import { afterEach, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  UnknownBackendError,
  cpuBackend,
  listBackends,
  registerBackend,
  tf,
  useBackend,
  type BackendPlugin,
} from './index.js';

function fakePlugin(name: string, priority: number, usable: boolean): BackendPlugin & { activated: number } {
  return {
    name,
    priority,
    activated: 0,
    async probe() {
      return usable
        ? { usable: true as const, detail: `${name} ok` }
        : { usable: false as const, reason: `${name} has no device.`, fix: `Install the ${name} driver.` };
    },
    async activate() {
      this.activated++;
      await tf.setBackend('cpu');
    },
    info() {
      return { name, device: 'fake', floatPrecision: 32, bytesInUse: 0, numTensors: 0 };
    },
  };
}

afterEach(async () => {
  delete process.env.NUTSHELL_BACKEND;
  await useBackend('cpu');
});

describe('built-in CPU backend', () => {
  it('computes with no set-up, gradients included', async () => {
    expect(tf.getBackend()).toBe('cpu');
    const g = tf.grad((x) => tf.sum(tf.mul(x, x)));
    expect(Array.from(await g(tf.tensor1d([1, -2, 3])).data())).toEqual([2, -4, 6]);
  });

  it('registers every gradient tfjs-core defines (conv2d, maxPool, softmax)', async () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const f = tf.tensor4d([1, 1, 1, 1], [2, 2, 1, 1]);
    const [dx, df] = tf.grads((a: any, b: any) => tf.sum(tf.conv2d(a, b, 1, 'valid')))([x, f]);
    expect(Array.from(await dx.data())).toEqual([1, 1, 1, 1]);
    expect(Array.from(await df.data())).toEqual([1, 2, 3, 4]);
    const dp = tf.grad((a: any) => tf.sum(tf.maxPool(a, 2, 1, 'valid')))(x);
    expect(Array.from(await dp.data())).toEqual([0, 0, 0, 1]);
  });

  it('reports its info', () => {
    expect(cpuBackend.info()).toMatchObject({ name: 'cpu', floatPrecision: 32 });
  });
});

describe('useBackend', () => {
  it("'auto' takes the highest-priority usable plugin and says what it skipped and why", async () => {
    const good = fakePlugin('fake-good', 50, true);
    const broken = fakePlugin('fake-broken', 90, false);
    registerBackend(good);
    registerBackend(broken);
    const sel = await useBackend('auto');
    expect(sel.name).toBe('fake-good');
    expect(sel.reason).toContain('priority 50');
    expect(sel.skipped).toContainEqual({ name: 'fake-broken', reason: 'fake-broken has no device.' });
    expect(sel.skipped.map((s) => s.name)).toContain('cpu');
    expect(good.activated).toBe(1);
    expect(listBackends()[0].name).toBe('fake-broken');
  });

  it('a named backend whose probe fails throws the probe reason and fix, and is not replaced', async () => {
    const broken = fakePlugin('fake-absent', 100, false);
    registerBackend(broken);
    const err = await useBackend('fake-absent').catch((e) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toBe(
      "Backend 'fake-absent' is unavailable: fake-absent has no device. Fix: Install the fake-absent driver.",
    );
    expect(broken.activated).toBe(0);
    // a plugin object whose probe fails is refused the same way
    await expect(useBackend(fakePlugin('fake-obj', 1, false))).rejects.toThrow(/fake-obj has no device/);
  });

  it('an unknown name lists every loadable backend, auto included', async () => {
    const err = await useBackend('tpu').catch((e) => e);
    expect(err).toBeInstanceOf(UnknownBackendError);
    expect(err.message).toMatch(
      /^Unknown backend 'tpu'\. Backends that can be loaded here: auto, cpu(, [\w-]+)*\. Others come as plugin packages: npm install @nutshell\/backend-<name> \(wasm, webgpu, cuda, native\)\.$/,
    );
    expect(err.known.slice(0, 2)).toEqual(['auto', 'cpu']);
    expect(err.fromEnv).toBe(false);
  });

  it('names are case-insensitive', async () => {
    registerBackend(fakePlugin('fake-case', 0, true));
    expect(await useBackend('FAKE-Case')).toMatchObject({ name: 'fake-case', reason: 'named by useBackend' });
    expect(await useBackend('CPU')).toMatchObject({ name: 'cpu' });
  });

  it('an unknown NUTSHELL_BACKEND says that is where the name came from', async () => {
    process.env.NUTSHELL_BACKEND = 'gpu';
    try {
      const err = await useBackend().catch((e) => e);
      expect(err).toBeInstanceOf(UnknownBackendError);
      expect(err.fromEnv).toBe(true);
      expect(err.message).toContain(
        "Unknown backend 'gpu' (from the NUTSHELL_BACKEND environment variable). Backends that can be loaded here: auto, cpu",
      );
      expect(err.message).toContain("Set NUTSHELL_BACKEND to one of them, or unset it to let 'auto' choose.");
    } finally {
      delete process.env.NUTSHELL_BACKEND;
    }
  });

  it('a plugin no installed package declares is unknown (this package has none installed): no table of names', async () => {
    const err = await useBackend('cuda').catch((e) => e);
    expect(err).toBeInstanceOf(UnknownBackendError);
    expect(err.message).toContain("Unknown backend 'cuda'");
  });

  it('reads NUTSHELL_BACKEND when called with no argument', async () => {
    registerBackend(fakePlugin('fake-env', 0, true));
    process.env.NUTSHELL_BACKEND = 'fake-env';
    const sel = await useBackend();
    expect(sel).toMatchObject({ name: 'fake-env', reason: 'named by NUTSHELL_BACKEND' });
    process.env.NUTSHELL_BACKEND = 'nonsense';
    await expect(useBackend()).rejects.toThrow(UnknownBackendError);
  });
});

describe("'auto' probes only as far as it must", () => {
  /** A plugin that counts its probes; `ceiling` adds a `probeCeiling()`, `probePriority` lowers what probe() says. */
  function counted(
    name: string,
    priority: number,
    opts: {
      ceiling?: { priority: number; reason: string } | 'throws';
      probePriority?: number;
      failActivate?: boolean;
    } = {},
  ) {
    const p = fakePlugin(name, priority, true) as BackendPlugin & { activated: number; probes: number };
    p.probes = 0;
    p.probe = async () => {
      p.probes++;
      return {
        usable: true as const,
        detail: `${name} ok`,
        ...(opts.probePriority !== undefined ? { priority: opts.probePriority } : {}),
      };
    };
    if (opts.failActivate)
      p.activate = async () => {
        throw new Error(`${name} lost its device`);
      };
    if (opts.ceiling)
      Object.assign(p, {
        probeCeiling: () => {
          if (opts.ceiling === 'throws') throw new Error('cannot tell');
          return opts.ceiling;
        },
      });
    return p;
  }

  it('skips a plugin whose ceiling is below a usable backend, saying why, and probes on when activation fails', async () => {
    // Above every plugin registered earlier in this file (the highest is 100).
    const software = counted('lazy-software', 900, { probePriority: 350 }); // probed: a high ceiling, a low result
    const broken = counted('lazy-broken', 800, { failActivate: true });
    const headless = counted('lazy-headless', 700, { ceiling: { priority: 10, reason: 'no device node' } });
    const next = counted('lazy-next', 400);
    const unsure = counted('lazy-unsure', 450, { ceiling: 'throws' }); // no ceiling: its priority counts
    const lower = counted('lazy-lower', 300);
    for (const p of [software, broken, headless, next, unsure, lower]) registerBackend(p);

    const sel = await useBackend('auto');

    expect(sel.name).toBe('lazy-unsure');
    expect(sel.reason).toBe("'auto': highest-priority usable backend (priority 450; lazy-unsure ok)");
    expect([software.probes, broken.probes, unsure.probes]).toEqual([1, 1, 1]);
    expect([headless.probes, next.probes, lower.probes]).toEqual([0, 0, 0]);
    expect([broken.activated, unsure.activated]).toEqual([0, 1]);
    const why = Object.fromEntries(sel.skipped.map((s) => [s.name, s.reason]));
    expect(why['lazy-broken']).toBe('activation failed: lazy-broken lost its device');
    expect(why['lazy-software']).toBe('usable, but lower priority (350)');
    expect(why['lazy-headless']).toBe(
      'not probed: lazy-unsure (priority 450) ranks at or above the most its probe could report here (10: no device node)',
    );
    expect(why['lazy-next']).toBe(
      'not probed: lazy-unsure (priority 450) ranks at or above the most its probe could report here (400)',
    );
    expect(why.cpu).toContain('not probed: lazy-unsure (priority 450)');
  });
});
