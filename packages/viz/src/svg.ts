// A few lines of string building are all SVG needs: no DOM, so the same code runs in Node, workers and browsers.

/** Attribute values of an SVG element; `undefined`/`null`/`false` attributes are left out. */
export type SvgAttrs = Record<string, string | number | boolean | null | undefined>;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** Formats a number for SVG coordinates: at most 2 decimals, no exponent. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** One SVG element as a string. Children are already-built strings; text children must be escaped by the caller. */
export function h(
  tag: string,
  attrs: SvgAttrs = {},
  ...children: (string | false | null | undefined)[]
): string {
  let s = `<${tag}`;
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    s += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(String(v))}"`;
  }
  const body = children.filter((c) => typeof c === 'string').join('');
  return body ? `${s}>${body}</${tag}>` : `${s}/>`;
}

/** A `<text>` element with escaped content. */
export function text(x: number, y: number, content: string, attrs: SvgAttrs = {}): string {
  return h('text', { x, y, ...attrs }, escapeXml(content));
}

/** The font stack every figure uses (DejaVu is what Debian and resvg find; browsers fall back to their sans-serif). */
export const FONT = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

/** A complete, standalone `<svg>` root element of the given size with a white background. */
export function svgRoot(width: number, height: number, body: string, title?: string): string {
  return h(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      'font-family': FONT,
      'font-size': 11,
    },
    title ? h('title', {}, escapeXml(title)) : '',
    h('rect', { width, height, fill: '#ffffff', class: 'background' }),
    body,
  );
}

/** A rough width of a text line in pixels (DejaVu Sans averages about 0.62 em per character; bold a little more). */
export function textWidth(content: string, fontSize: number, bold = false): number {
  return content.length * fontSize * (bold ? 0.68 : 0.62);
}
