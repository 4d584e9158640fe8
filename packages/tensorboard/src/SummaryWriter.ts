import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LogDirError } from './errors.js';
import type { Histogram } from './histogram.js';
import type { PngImage } from './filterImage.js';
import { EventProto } from './proto.js';
import { tfrecord } from './tfrecord.js';

let fileCounter = 0;

/** Makes `logDir` (and its parents), or throws `LogDirError` when it, or a folder above it, is a file. */
function ensureFolder(logDir: string): void {
  for (let p = resolve(logDir); ; p = dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) {
        throw new LogDirError(
          logDir,
          p === resolve(logDir) ? 'it is a file, not a folder' : `'${p}' above it is a file, not a folder`,
        );
      }
      break;
    }
    if (dirname(p) === p) break;
  }
  try {
    mkdirSync(logDir, { recursive: true });
  } catch (e) {
    throw new LogDirError(logDir, `cannot create it (${(e as Error).message})`);
  }
}

/**
 * Writes one TensorBoard event file, `events.out.tfevents.<seconds>.<host>` in `logDir`: scalars, histograms and
 * images, each an `Event` in a TFRecord. Events are buffered and written on `flush()` (and by `close()`).
 * Node only (it writes files). Throws `LogDirError` when `logDir` is a file.
 * @public
 */
export class SummaryWriter {
  /** The event file's path. */
  readonly path: string;
  private pending: Uint8Array[] = [];

  constructor(readonly logDir: string) {
    ensureFolder(logDir);
    const seconds = Math.floor(Date.now() / 1000);
    // A counter keeps two writers opened in the same second apart (TensorBoard reads every file in the folder).
    const n = fileCounter++;
    const suffix = n === 0 ? '' : `.${n}`;
    this.path = join(logDir, `events.out.tfevents.${seconds}.${hostname()}${suffix}`);
    writeFileSync(
      this.path,
      tfrecord(
        EventProto.encode(
          EventProto.create({ wallTime: Date.now() / 1000, fileVersion: 'brain.Event:2' }),
        ).finish(),
      ),
    );
  }

  private event(step: number, value: Record<string, unknown>): void {
    const message = EventProto.create({ wallTime: Date.now() / 1000, step, summary: { value: [value] } });
    this.pending.push(tfrecord(EventProto.encode(message).finish()));
  }

  /** A scalar (TensorBoard's Scalars tab) at `step`. */
  scalar(tag: string, value: number, step: number): void {
    this.event(step, { tag, simpleValue: value });
  }

  /** A histogram (Histograms and Distributions tabs) at `step`. */
  histogram(tag: string, h: Histogram, step: number): void {
    this.event(step, { tag, histo: { ...h, bucketLimit: [...h.bucketLimit], bucket: [...h.bucket] } });
  }

  /** A PNG image (Images tab) at `step`. */
  image(tag: string, img: PngImage, step: number): void {
    this.event(step, {
      tag,
      image: { height: img.height, width: img.width, colorspace: img.channels, encodedImageString: img.png },
    });
  }

  /** Appends the buffered events to the file. */
  flush(): void {
    if (this.pending.length === 0) return;
    const total = this.pending.reduce((n, b) => n + b.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const b of this.pending) {
      bytes.set(b, at);
      at += b.length;
    }
    this.pending = [];
    appendFileSync(this.path, bytes);
  }

  /** Flushes; the writer may still be used (each write goes to the same file). */
  close(): void {
    this.flush();
  }
}
