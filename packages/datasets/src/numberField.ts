/**
 * The number a CSV field holds, read as decimal text only: `12`, `-0.5`, `.5`, `1e-3`, `nan`, `inf`. JavaScript's
 * `Number` also reads `0x1A` as 26, `0b11` as 3 and `0o7` as 7, which no data file means; those, and anything
 * else that is not a decimal number, give `undefined`. (An empty field is `undefined` too.)
 * @internal
 */
export function parseNumberField(field: string): number | undefined {
  const f = field.trim();
  if (DECIMAL.test(f)) return Number(f);
  if (/^nan$/i.test(f)) return NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(f);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
