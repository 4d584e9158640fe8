import { VizError } from './errors.js';
import { base64, rasterDataUri, upscaleRaster, type RasterImage } from './raster.js';
import { h, num, svgRoot, text } from './svg.js';

/**
 * An image placed inside a figure: `raster` is the picture at its own resolution (one pixel per value), drawn
 * enlarged without smoothing into the box `x, y, width, height`. Kept on the figure so that programs and tests can
 * read the exact pixels that were drawn.
 * @public
 */
export interface PlacedImage {
  /** Left edge in figure coordinates. */
  readonly x: number;
  /** Top edge in figure coordinates. */
  readonly y: number;
  /** Width of the box in figure coordinates. */
  readonly width: number;
  /** Height of the box in figure coordinates. */
  readonly height: number;
  /** The pixels, one per value. */
  readonly raster: RasterImage;
  /** What the picture shows (e.g. `conv2d_1 filter 3`). */
  readonly label?: string;
}

/**
 * A finished picture: a standalone SVG document plus the raster images it embeds. Every visualiser returns one;
 * turn it into a file with {@link figureToPng} / {@link figureSvgFile}, onto a page with {@link drawFigure} or
 * {@link figureDataUri}, or gather several into an HTML report with {@link createReport}.
 * @public
 */
export interface Figure {
  /** What the figure shows (also its SVG `<title>` and its caption in reports). */
  readonly title: string;
  /** Size in CSS pixels. */
  readonly width: number;
  /** Height in CSS pixels. */
  readonly height: number;
  /** The `<svg>` root element (no XML declaration), with every raster image inlined as a `data:` URI. */
  readonly svg: string;
  /** The raster images inside the SVG, in drawing order, with their positions in figure coordinates. */
  readonly images: readonly PlacedImage[];
}

/** The SVG `<image>` element for a placed raster, enlarged by whole pixels so no viewer blurs it. */
export function imageElement(p: PlacedImage): string {
  const k = Math.max(1, Math.round(Math.min(p.width / p.raster.width, p.height / p.raster.height)));
  return h('image', {
    x: p.x,
    y: p.y,
    width: p.width,
    height: p.height,
    href: rasterDataUri(upscaleRaster(p.raster, k)),
    preserveAspectRatio: 'none',
    'image-rendering': 'optimizeSpeed',
    class: 'raster',
    'data-label': p.label,
  });
}

/** Builds a figure from its body (SVG elements in figure coordinates) and the images it placed. */
export function makeFigure(
  title: string,
  rawWidth: number,
  rawHeight: number,
  body: string,
  images: PlacedImage[] = [],
): Figure {
  // Whole pixels, so PNG renderings are exactly the figure's size.
  const width = Math.ceil(rawWidth);
  const height = Math.ceil(rawHeight);
  const imgs = images.map(imageElement).join('');
  return { title, width, height, svg: svgRoot(width, height, imgs + body, title), images };
}

/** Options of {@link composeFigures}. @public */
export interface ComposeOptions {
  /** Figures per row (default: all in one row). */
  columns?: number;
  /** Space between figures in pixels (default 12). */
  gap?: number;
  /** A heading drawn above the grid. */
  title?: string;
}

/**
 * Lays several figures out in a grid, as one figure (e.g. loss and accuracy curves side by side).
 * @public
 */
export function composeFigures(figures: readonly Figure[], opts: ComposeOptions = {}): Figure {
  if (figures.length === 0) throw new VizError('composeFigures', 'no figures to compose.');
  const columns = Math.max(1, opts.columns ?? figures.length);
  const gap = opts.gap ?? 12;
  const top = opts.title ? 28 : 0;
  const colWidths: number[] = [];
  const rowHeights: number[] = [];
  figures.forEach((f, i) => {
    const c = i % columns;
    const r = Math.floor(i / columns);
    colWidths[c] = Math.max(colWidths[c] ?? 0, f.width);
    rowHeights[r] = Math.max(rowHeights[r] ?? 0, f.height);
  });
  const xs = colWidths.map((_, c) => colWidths.slice(0, c).reduce((a, b) => a + b + gap, 0));
  const ys = rowHeights.map((_, r) => top + rowHeights.slice(0, r).reduce((a, b) => a + b + gap, 0));
  const width = colWidths.reduce((a, b) => a + b, 0) + gap * (colWidths.length - 1);
  const height = top + rowHeights.reduce((a, b) => a + b, 0) + gap * (rowHeights.length - 1);
  let body = opts.title ? text(8, 19, opts.title, { 'font-size': 15, 'font-weight': 'bold' }) : '';
  const images: PlacedImage[] = [];
  figures.forEach((f, i) => {
    const x = xs[i % columns]!;
    const y = ys[Math.floor(i / columns)]!;
    // A nested <svg> keeps each figure's own coordinates; its raster images are already inside it.
    body += f.svg.replace(/^<svg /, `<svg x="${num(x)}" y="${num(y)}" `);
    for (const p of f.images) images.push({ ...p, x: p.x + x, y: p.y + y });
  });
  return {
    title: opts.title ?? figures.map((f) => f.title).join(', '),
    width,
    height,
    svg: svgRoot(width, height, body, opts.title),
    images,
  };
}

/** The figure as the text of an `.svg` file (with its XML declaration). @public */
export function figureSvgFile(fig: Figure): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${fig.svg}\n`;
}

/** The figure as a `data:image/svg+xml;base64,...` URI, for an `<img>` element or CSS. @public */
export function figureDataUri(fig: Figure): string {
  return `data:image/svg+xml;base64,${base64(new TextEncoder().encode(fig.svg))}`;
}

/** Options of {@link figureToPng}. @public */
export interface PngOptions {
  /** Device pixels per CSS pixel (default 2, for sharp text). */
  scale?: number;
}

/**
 * Renders a figure to PNG bytes in Node, with resvg (a Rust SVG renderer shipped as prebuilt npm binaries, loaded on
 * first use). Text uses the system's fonts (DejaVu Sans on Debian). In a browser use {@link drawFigure} instead.
 * @public
 */
export async function figureToPng(fig: Figure, opts: PngOptions = {}): Promise<Uint8Array> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  try {
    // A computed specifier, so bundlers (Vite, rolldown, webpack) do not follow this native Node addon into a
    // browser bundle; Node resolves it from this package as usual.
    const resvgModule = ['@resvg', 'resvg-js'].join('/');
    ({ Resvg } = (await import(/* @vite-ignore */ resvgModule)) as typeof import('@resvg/resvg-js'));
  } catch (e) {
    throw new VizError(
      'figureToPng',
      `cannot load @resvg/resvg-js (${(e as Error).message}). It renders PNGs in Node: install it, or in a browser draw with drawFigure().`,
    );
  }
  const resvg = new Resvg(fig.svg, {
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    imageRendering: 1, // optimizeSpeed: enlarged rasters stay sharp
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Where and how large {@link drawFigure} draws. @public */
export interface DrawOptions {
  /** Left edge on the canvas (default 0). */
  x?: number;
  /** Top edge on the canvas (default 0). */
  y?: number;
  /** Multiplies the figure's size (default 1). */
  scale?: number;
}

/**
 * Draws a figure onto a browser canvas (needs `Image`, i.e. a page or a worker with DOM images). Resolves once drawn.
 * @public
 */
export async function drawFigure(
  ctx: CanvasRenderingContext2D,
  fig: Figure,
  opts: DrawOptions = {},
): Promise<void> {
  if (typeof Image === 'undefined') {
    throw new VizError('drawFigure', 'needs a browser (the DOM Image class); in Node use figureToPng().');
  }
  const img = new Image();
  img.src = figureDataUri(fig);
  await img.decode();
  const s = opts.scale ?? 1;
  ctx.drawImage(img, opts.x ?? 0, opts.y ?? 0, fig.width * s, fig.height * s);
}

/**
 * Copies a raster image onto a canvas pixel for pixel (synchronous; `ImageData` must exist, i.e. a browser).
 * @public
 */
export function drawRaster(ctx: CanvasRenderingContext2D, img: RasterImage, x = 0, y = 0): void {
  ctx.putImageData(rasterToImageData(img), x, y);
}

/** A browser `ImageData` holding a copy of the raster's pixels. @public */
export function rasterToImageData(img: RasterImage): ImageData {
  return new ImageData(new Uint8ClampedArray(img.data), img.width, img.height);
}
