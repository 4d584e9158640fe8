// Activation functions and their derivatives, as pictures: the shape that decides how a unit responds, and how
// much gradient it lets through (the sigmoid's derivative never exceeds 0.25; ReLU's is 1 wherever it is active).
//
//   pnpm example activation-plots [output folder]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sample } from '@nutshell/activations';
import { activationPlots, createReport, figureSvgFile, figureToPng } from '@nutshell/viz';

const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'output', 'activation-plots');

/** The units drawn. */
export const NAMES = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'selu', 'softplus', 'gelu', 'swish'];

/**
 * Draws every unit and its derivative on [-4, 4] (SVG, PNG and report.html in `out`) and returns, per unit, the
 * largest derivative and where it is reached.
 */
export async function main(
  out = DEFAULT_OUT,
  log: (line: string) => void = console.log,
): Promise<{ files: string[]; peaks: Record<string, { x: number; dydx: number }> }> {
  mkdirSync(out, { recursive: true });
  const fig = await activationPlots(NAMES, { range: [-4, 4], columns: 3 });
  const files = [join(out, 'activations.svg'), join(out, 'activations.png'), join(out, 'report.html')];
  writeFileSync(files[0], figureSvgFile(fig));
  writeFileSync(files[1], await figureToPng(fig));
  writeFileSync(
    files[2],
    createReport({
      title: 'Activation functions',
      sections: [{ title: 'Function (solid) and derivative (dashed)', figures: [fig] }],
    }),
  );
  const peaks: Record<string, { x: number; dydx: number }> = {};
  log('largest derivative on [-4, 4]:');
  for (const name of NAMES) {
    const pts = await sample(name, [-4, 4], { points: 801 });
    const top = pts.reduce((a, p) => (p.dydx > a.dydx ? p : a));
    peaks[name] = { x: top.x, dydx: top.dydx };
    log(`  ${name.padEnd(10)} ${top.dydx.toFixed(4)} at x = ${top.x.toFixed(2)}`);
  }
  log(`wrote ${out}/activations.{svg,png} and report.html`);
  return { files, peaks };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv[2]);
}
