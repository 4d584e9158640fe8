// Float64 re-implementations of the textbook recurrent equations, on plain arrays, one unit at a time. They
// share no code with the package: the tests compare the layers (and their gradients) against these.

export type Kind = 'simple' | 'lstm' | 'gru' | 'gruBefore';

export interface RefWeights {
  /** [features][gates·units] */
  kernel: number[][];
  /** [units][gates·units] */
  recurrent: number[][];
  /** [gates·units], or for 'gru' (reset after) [2][3·units]; undefined without bias. */
  bias?: number[] | number[][];
}

export interface RefOptions {
  units: number;
  goBackwards?: boolean;
  returnSequences?: boolean;
  /** initial states per sample: h0 [batch][units], c0 (lstm) */
  initial?: number[][][];
  /** [batch][steps] of 0/1 */
  mask?: number[][];
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** Σ_k x[k]·M[k][col] */
function dot(x: number[], m: number[][], col: number): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k] * m[k][col];
  return s;
}

/** One sample's step; returns the new states [h] or [h, c]. */
function step(kind: Kind, x: number[], states: number[][], w: RefWeights, u: number): number[][] {
  const b = (row: number, col: number) => {
    if (!w.bias) return 0;
    return kind === 'gru' ? (w.bias as number[][])[row][col] : row === 0 ? (w.bias as number[])[col] : 0;
  };
  const h = states[0];
  if (kind === 'simple') {
    return [
      Array.from({ length: u }, (_, j) => Math.tanh(dot(x, w.kernel, j) + dot(h, w.recurrent, j) + b(0, j))),
    ];
  }
  if (kind === 'lstm') {
    const c = states[1];
    const hn: number[] = [];
    const cn: number[] = [];
    for (let j = 0; j < u; j++) {
      const pre = (g: number) =>
        dot(x, w.kernel, g * u + j) + dot(h, w.recurrent, g * u + j) + b(0, g * u + j);
      const i = sig(pre(0));
      const f = sig(pre(1));
      const cand = Math.tanh(pre(2));
      const o = sig(pre(3));
      cn.push(f * c[j] + i * cand);
      hn.push(o * Math.tanh(cn[j]));
    }
    return [hn, cn];
  }
  // GRU, gates z, r, h.
  const z = Array.from({ length: u }, (_, j) =>
    sig(dot(x, w.kernel, j) + dot(h, w.recurrent, j) + b(0, j) + b(1, j)),
  );
  const r = Array.from({ length: u }, (_, j) =>
    sig(dot(x, w.kernel, u + j) + dot(h, w.recurrent, u + j) + b(0, u + j) + b(1, u + j)),
  );
  const rh = h.map((v, k) => r[k] * v);
  const hn = Array.from({ length: u }, (_, j) => {
    const col = 2 * u + j;
    const cand =
      kind === 'gru'
        ? Math.tanh(dot(x, w.kernel, col) + b(0, col) + r[j] * (dot(h, w.recurrent, col) + b(1, col)))
        : Math.tanh(dot(x, w.kernel, col) + dot(rh, w.recurrent, col) + b(0, col));
    return z[j] * h[j] + (1 - z[j]) * cand;
  });
  return [hn];
}

/** Runs a batch [batch][steps][features]; returns the flat output and the flat final states. */
export function runReference(
  kind: Kind,
  x: number[][][],
  w: RefWeights,
  o: RefOptions,
): { output: number[]; states: number[][] } {
  const u = o.units;
  const nStates = kind === 'lstm' ? 2 : 1;
  const out: number[] = [];
  const finals: number[][] = Array.from({ length: nStates }, () => []);
  x.forEach((seq, n) => {
    let states = Array.from({ length: nStates }, (_, s) =>
      o.initial ? [...o.initial[s][n]] : new Array<number>(u).fill(0),
    );
    const seqOut: number[][] = [];
    const T = seq.length;
    for (let k = 0; k < T; k++) {
      const t = o.goBackwards ? T - 1 - k : k;
      const real = o.mask ? o.mask[n][t] !== 0 : true;
      if (real) {
        states = step(kind, seq[t], states, w, u);
        seqOut.push([...states[0]]);
      } else {
        seqOut.push(new Array<number>(u).fill(0));
      }
    }
    if (o.returnSequences) seqOut.forEach((v) => out.push(...v));
    else out.push(...states[0]);
    states.forEach((s, i) => finals[i].push(...s));
  });
  return { output: out, states: finals };
}

/** A deterministic pseudo-random array in [−scale, scale) (an LCG: independent of the package's Rng). */
export function values(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 * scale - scale;
  });
}

/** Reshapes a flat array to [a][b]. */
export function matrix(flat: number[], a: number, b: number): number[][] {
  return Array.from({ length: a }, (_, i) => flat.slice(i * b, (i + 1) * b));
}

/** Reshapes a flat array to [a][b][c]. */
export function cube(flat: number[], a: number, b: number, c: number): number[][][] {
  return Array.from({ length: a }, (_, i) => matrix(flat.slice(i * b * c, (i + 1) * b * c), b, c));
}
