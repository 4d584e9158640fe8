// Activation functions and their derivatives, as pictures: the shape that decides how a unit responds, and how
// much gradient it lets through (the sigmoid's derivative never exceeds 0.25; ReLU's is 1 wherever it is active).
//
//   pnpm --filter @nutshell/examples exec tsx src/activation-plots.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sample } from '@nutshell/activations';
import { activationPlots, createReport, figureSvgFile, figureToPng } from '@nutshell/viz';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'output', 'activation-plots');
const NAMES = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'selu', 'softplus', 'gelu', 'swish'];

mkdirSync(OUT, { recursive: true });
const fig = await activationPlots(NAMES, { range: [-4, 4], columns: 3 });
writeFileSync(join(OUT, 'activations.svg'), figureSvgFile(fig));
writeFileSync(join(OUT, 'activations.png'), await figureToPng(fig));
writeFileSync(
  join(OUT, 'report.html'),
  createReport({
    title: 'Activation functions',
    sections: [{ title: 'Function (solid) and derivative (dashed)', figures: [fig] }],
  }),
);

console.log('largest derivative on [-4, 4]:');
for (const name of NAMES) {
  const pts = await sample(name, [-4, 4], { points: 801 });
  const top = pts.reduce((a, p) => (p.dydx > a.dydx ? p : a));
  console.log(`  ${name.padEnd(10)} ${top.dydx.toFixed(4)} at x = ${top.x.toFixed(2)}`);
}
console.log(`wrote ${OUT}/activations.{svg,png} and report.html`);
