import { DOMParser } from '@xmldom/xmldom';
import type { Figure } from '../figure.js';

/** Parses a figure's SVG with a real XML parser (throws on malformed XML) and returns the document. */
export function parseSvg(fig: Figure | string) {
  const text = typeof fig === 'string' ? fig : fig.svg;
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(text, 'image/svg+xml');
  if (errors.length) throw new Error(`SVG does not parse: ${errors.join('; ')}`);
  return doc;
}

/** Elements with a tag and (optionally) a class. */
export function marks(fig: Figure | string, tag: string, cls?: string): Element[] {
  const all = Array.from(parseSvg(fig).getElementsByTagName(tag)) as unknown as Element[];
  return cls ? all.filter((e) => (e.getAttribute('class') ?? '').split(' ').includes(cls)) : all;
}
