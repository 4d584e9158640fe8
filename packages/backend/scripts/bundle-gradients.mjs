// tfjs-core ships its gradient registrations only as ESM files with extension-less imports, which Node's
// ESM loader rejects. esbuild bundles them into one file that Node and bundlers both load. The inlined op
// helpers talk to the one global tfjs engine and gradient registry, as @tensorflow/tfjs's own bundle does.
import { build } from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
await build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  outfile: 'dist/register-gradients.node.js',
  external: ['long', 'seedrandom', '@tensorflow/tfjs-core'],
  logLevel: 'warning',
  legalComments: 'inline',
});
