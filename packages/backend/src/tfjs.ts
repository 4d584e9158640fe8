// The one place that loads tfjs-core's engine, the CPU backend and every gradient, in that order.
// Everything in Nutshell reaches the engine through this module, so importing any package is enough.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '#register-gradients';
import { registerNutshellGradients } from './gradients/index.js';
import { registerCpuOptimizerKernels } from './fusedOptimizers.js';
import { registerFusedLossKernels } from './fusedLosses.js';
import { registerFusedMetricKernels } from './fusedMetrics.js';
import { registerReluBackpropKernels } from './reluBackprop.js';
import { guardKernels, readSyncValues } from './kernelGuards.js';
import { replaceKernels } from './replaceKernels.js';
import { plainStridedSliceKernel } from './stridedSlice.js';

tf.enableProdMode();
registerNutshellGradients();
registerCpuOptimizerKernels();
registerFusedLossKernels();
registerFusedMetricKernels();
registerReluBackpropKernels();
replaceKernels('cpu', [plainStridedSliceKernel('cpu')]);
guardKernels('cpu', readSyncValues);
// tfjs picks the highest-priority registered backend on first use; a plugin imported later (wasm registers
// itself at priority 2) must not take over silently, so the CPU backend is made current now.
if (tf.getBackend() !== 'cpu') void tf.setBackend('cpu');

export { tf };
