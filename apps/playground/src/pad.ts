// A drawing pad: white ink on black, as in the training images. Reads back as grey values in [0, 1] at the
// model's input size.
export class Pad {
  private drawing = false;
  private last: { x: number; y: number } | undefined;
  private readonly ctx: CanvasRenderingContext2D;
  /** Called after each stroke and after `show`. */
  onChange: () => void = () => {};
  /** Called when a stroke starts, before it draws. */
  onStrokeStart: () => void = () => {};
  /** Whether anything has been drawn since the last clear. */
  empty = true;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.onStrokeStart();
      this.drawing = true;
      this.last = this.point(e);
      this.dot(this.last);
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const p = this.point(e);
      this.line(this.last!, p);
      this.last = p;
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.empty = false;
      this.onChange();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointerleave', end);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * this.canvas.width, y: ((e.clientY - r.top) / r.height) * this.canvas.height };
  }

  private get brush(): number {
    return this.canvas.width / 12;
  }

  private dot(p: { x: number; y: number }): void {
    this.ctx.fillStyle = '#fff';
    this.ctx.beginPath();
    this.ctx.arc(p.x, p.y, this.brush / 2, 0, Math.PI * 2);
    this.ctx.fill();
  }

  private line(a: { x: number; y: number }, b: { x: number; y: number }): void {
    this.ctx.strokeStyle = '#fff';
    this.ctx.lineWidth = this.brush;
    this.ctx.lineCap = 'round';
    this.ctx.beginPath();
    this.ctx.moveTo(a.x, a.y);
    this.ctx.lineTo(b.x, b.y);
    this.ctx.stroke();
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.empty = true;
  }

  /** Paints an image (`[h × w]` grey values in [0, 1]) over the whole pad, e.g. a test image. */
  show(pixels: Float32Array, height: number, width: number): void {
    const small = document.createElement('canvas');
    small.width = width;
    small.height = height;
    const sctx = small.getContext('2d')!;
    const img = sctx.createImageData(width, height);
    for (let i = 0; i < pixels.length; i++) {
      const v = Math.round(pixels[i] * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    sctx.putImageData(img, 0, 0);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
    this.empty = false;
    this.onChange();
  }

  /** The pad at `height × width`, grey values in [0, 1] (area-averaged). */
  pixels(height: number, width: number): Float32Array {
    const small = document.createElement('canvas');
    small.width = width;
    small.height = height;
    const sctx = small.getContext('2d', { willReadFrequently: true })!;
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = 'high';
    // Downscale in halving steps so that thin strokes are averaged, not skipped.
    let src: HTMLCanvasElement = this.canvas;
    while (src.width / 2 >= width * 2) {
      const half = document.createElement('canvas');
      half.width = Math.round(src.width / 2);
      half.height = Math.round(src.height / 2);
      half.getContext('2d')!.drawImage(src, 0, 0, half.width, half.height);
      src = half;
    }
    sctx.drawImage(src, 0, 0, width, height);
    const data = sctx.getImageData(0, 0, width, height).data;
    const out = new Float32Array(width * height);
    for (let i = 0; i < out.length; i++) out[i] = data[i * 4] / 255;
    return out;
  }
}
