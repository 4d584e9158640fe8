import { tf } from './tfjs.js';
import type { BackendPlugin } from './plugin.js';

/**
 * The built-in CPU backend (tfjs-backend-cpu, plain JavaScript). Always usable; the reference that every
 * other backend is checked against, and bit-for-bit reproducible for a given seed.
 * @public
 */
export const cpuBackend: BackendPlugin = {
  name: 'cpu',
  priority: 1,
  packageName: '@nutshell/backend',
  async probe() {
    return { usable: true, detail: 'JavaScript on the CPU, always available' };
  },
  async activate() {
    await tf.setBackend('cpu');
  },
  info() {
    const m = tf.memory();
    return { name: 'cpu', device: 'CPU (JavaScript)', floatPrecision: 32, bytesInUse: m.numBytes, numTensors: m.numTensors };
  },
};
