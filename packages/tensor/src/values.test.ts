import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Rng,
  ShapeError,
  ValueError,
  full,
  numTensors,
  ones,
  scalar,
  tensor,
  zeros,
} from './index.js';

interface Bad {
  what: string;
  make: () => unknown;
  error: new (...a: never[]) => Error;
  message: RegExp;
}

// Each of these made a tensor with wrong values (NaN stored as 0, a string as NaN, 2.7 as 2) or threw a raw
// tfjs Error before.
const BAD: Bad[] = [
  {
    what: 'NaN in an int32 tensor',
    make: () => tensor([NaN, 1], [2], 'int32'),
    error: ValueError,
    message: /^tensor: value NaN at index 0 cannot be stored as int32/,
  },
  {
    what: 'Infinity in an int32 tensor',
    make: () => tensor([1, Infinity], [2], 'int32'),
    error: ValueError,
    message: /value Infinity at index 1 cannot be stored as int32/,
  },
  {
    what: 'a fraction in an int32 tensor',
    make: () => tensor([[1, 2.7]], [1, 2], 'int32'),
    error: ValueError,
    message: /value 2\.7 at index 1 cannot be stored as int32/,
  },
  {
    what: 'a fraction in a Float32Array made int32',
    make: () => tensor(new Float32Array([0.5]), [1], 'int32'),
    error: ValueError,
    message: /value 0\.5 at index 0/,
  },
  {
    what: 'a string',
    make: () => tensor([1, 'a' as unknown as number]),
    error: ValueError,
    message: /^tensor: value "a" \(string\) at index 1 is not a number\.$/,
  },
  {
    what: 'a nested string',
    make: () => tensor([[1], ['2' as unknown as number]]),
    error: ValueError,
    message: /value "2" \(string\) at index 1/,
  },
  {
    what: 'null',
    make: () => tensor([null as unknown as number]),
    error: ValueError,
    message: /value null \(object\) at index 0/,
  },
  {
    what: 'ragged rows',
    make: () => tensor([[1, 2], [3]]),
    error: ShapeError,
    message: /^tensor: .*ragged values: values\[1\] has length 1, its siblings 2/,
  },
  {
    what: 'ragged depth',
    make: () =>
      tensor([
        [1, 2],
        [3, [4]],
      ] as unknown as number[][]),
    error: ShapeError,
    message: /ragged values: values\[1\]\[1\] is an array/,
  },
  {
    what: 'a negative dimension',
    make: () => tensor([1, 2], [-2]),
    error: ShapeError,
    message: /^tensor: expected shape dimensions that are integers ≥ 0, got \[-2\] \(dimension 0 is -2\)/,
  },
  {
    what: 'a fractional dimension',
    make: () => zeros([1.5, 2]),
    error: ShapeError,
    message: /^zeros: .*dimension 0 is 1\.5/,
  },
  {
    what: 'a NaN dimension',
    make: () => ones([2, NaN]),
    error: ShapeError,
    message: /^ones: .*dimension 1 is NaN/,
  },
  {
    what: 'float64',
    make: () => tensor([1, 2], [2], 'float64' as never),
    error: DTypeError,
    message: /^tensor: expected dtype float32, int32, bool, complex64, got float64\.$/,
  },
  {
    what: 'full with NaN as int32',
    make: () => full([2], NaN, 'int32'),
    error: ValueError,
    message: /^full: value NaN/,
  },
  {
    what: 'scalar from a string',
    make: () => scalar('3' as unknown as number),
    error: ValueError,
    message: /^scalar: value "3"/,
  },
  {
    what: 'values that are not an array',
    make: () => tensor('123' as unknown as number[]),
    error: ValueError,
    message: /values must be a number array or a typed array, got string/,
  },
  {
    what: 'Rng with a fractional seed',
    make: () => new Rng(1.5),
    error: ValueError,
    message: /^Rng: seed must be a safe integer, got 1\.5\.$/,
  },
  {
    what: 'Rng with an unsafe seed',
    make: () => new Rng(2 ** 60),
    error: ValueError,
    message: /seed must be a safe integer/,
  },
  { what: 'Rng with NaN', make: () => new Rng(NaN), error: ValueError, message: /got NaN/ },
];

describe('tensor creation refuses bad values, shapes and dtypes with typed errors', () => {
  it.each(BAD)('$what', ({ make, error, message }) => {
    const before = numTensors();
    let caught: unknown;
    try {
      make();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(error);
    expect((caught as Error).message).toMatch(message);
    expect(numTensors()).toBe(before);
  });

  it('still makes what is valid: NaN in float32, integers in int32, empty and nested tensors', () => {
    const a = tensor([NaN, 1], [2]);
    expect(Array.from(a.dataSync())).toEqual([NaN, 1]);
    const b = tensor(
      [
        [1, -2],
        [3, 4],
      ],
      undefined,
      'int32',
    );
    expect(b.shape).toEqual([2, 2]);
    expect(Array.from(b.dataSync())).toEqual([1, -2, 3, 4]);
    const c = tensor([], [0]);
    expect(c.shape).toEqual([0]);
    const d = tensor([true, false] as unknown as number[], [2], 'bool');
    expect(Array.from(d.dataSync())).toEqual([1, 0]);
    [a, b, c, d].forEach((t) => t.dispose());
  });
});

describe('Rng seeds outside 32 bits are not aliases', () => {
  const first = (seed: number): number[] => {
    const r = new Rng(seed);
    return [r.nextUint32(), r.nextUint32(), r.nextUint32()];
  };

  it('2^32 differs from 0, −1 from 2^32 − 1, 2^32 + 5 from 5; in-range seeds keep their streams', () => {
    expect(first(2 ** 32)).not.toEqual(first(0));
    expect(first(-1)).not.toEqual(first(2 ** 32 - 1));
    expect(first(2 ** 32 + 5)).not.toEqual(first(5));
    expect(first(Number.MAX_SAFE_INTEGER)).not.toEqual(first(-Number.MAX_SAFE_INTEGER));
    expect(first(2 ** 32)).toEqual(first(2 ** 32)); // still deterministic
    // Seed 42's stream is unchanged by the new seeding (values recorded before the change).
    expect(first(42)).toEqual(SEED_42);
  });
});

const SEED_42 = [2837322924, 544945897, 479756282];
