import { escapeXml } from './svg.js';
import { figureDataUri, type Figure } from './figure.js';

/** A part of a report: a heading, an optional paragraph, figures and an optional table of facts. @public */
export interface ReportSection {
  /** Heading of the section. */
  readonly title: string;
  /** A paragraph under the heading. */
  readonly text?: string;
  /** Figures shown in the section, as images. */
  readonly figures?: readonly Figure[];
  /** Key/value facts shown as a table (e.g. the run's configuration or final metrics). */
  readonly facts?: Readonly<Record<string, string | number>>;
}

/** Options of {@link createReport}. @public */
export interface ReportOptions {
  /** Heading and page title. */
  readonly title: string;
  /** A line under the heading (e.g. the model and the time). */
  readonly subtitle?: string;
  /** The sections, in order. */
  readonly sections: readonly ReportSection[];
  /**
   * Ask the browser to reload the page every n seconds (for a report rewritten while training runs).
   * Off by default; a finished run's report should not reload.
   */
  readonly refreshSeconds?: number;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font-family:'DejaVu Sans','Helvetica Neue',Arial,sans-serif;color:#1b1b1b;background:#fafafa;max-width:1400px}
h1{font-size:24px;margin:0 0 4px}
.subtitle{color:#555;margin:0 0 20px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:16px 20px;margin:0 0 18px}
h2{font-size:18px;margin:0 0 8px}
p{margin:4px 0 12px;line-height:1.45;max-width:80ch}
figure{display:inline-block;margin:6px 14px 10px 0;vertical-align:top}
figure img{display:block;max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:12px;color:#666;margin-top:4px}
table{border-collapse:collapse;font-size:13px;margin:4px 0 10px}
td{padding:3px 12px 3px 0;border-bottom:1px solid #f0f0f0}
td:first-child{color:#666}
footer{color:#888;font-size:12px}
`;

/**
 * One self-contained HTML page gathering figures: styles inline and every figure an `<img>` with a `data:` URI,
 * so it opens from disk or an e-mail with no network request and nothing beside it.
 * @public
 */
export function createReport(opts: ReportOptions): string {
  const sections = opts.sections
    .map((s) => {
      const facts = s.facts
        ? `<table>${Object.entries(s.facts)
            .map(
              ([k, v]) =>
                `<tr><td>${escapeXml(k)}</td><td>${escapeXml(typeof v === 'number' ? formatFact(v) : v)}</td></tr>`,
            )
            .join('')}</table>`
        : '';
      const figs = (s.figures ?? [])
        .map(
          (f) =>
            `<figure><img src="${figureDataUri(f)}" width="${Math.round(f.width)}" height="${Math.round(f.height)}" alt="${escapeXml(f.title)}"><figcaption>${escapeXml(f.title)}</figcaption></figure>`,
        )
        .join('\n');
      return `<section><h2>${escapeXml(s.title)}</h2>${s.text ? `<p>${escapeXml(s.text)}</p>` : ''}${facts}${figs}</section>`;
    })
    .join('\n');
  const refresh = opts.refreshSeconds
    ? `<meta http-equiv="refresh" content="${Math.max(1, Math.round(opts.refreshSeconds))}">`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeXml(opts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeXml(opts.title)}</h1>
${opts.subtitle ? `<p class="subtitle">${escapeXml(opts.subtitle)}</p>` : ''}
${sections}
<footer>Made by @nutshell/viz. Self-contained: no network requests.</footer>
</body>
</html>
`;
}

function formatFact(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Math.abs(v) >= 0.01 && Math.abs(v) < 1e5 ? v.toFixed(4) : v.toPrecision(4);
}
