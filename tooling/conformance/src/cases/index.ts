// Every family of cases, in report order. A new family (a new package) adds one import and one spread here.
import type { OpCase, TrainingCase } from '@nutshell/backend-conformance';
import { CONV1D_CASES, CONV_CASES, FFT_BACKEND_CASES } from './conv.js';
import { LAYER_CASES } from './layers.js';
import { LENET_TRAINING } from './lenet.js';
import { LOSS_CASES, METRIC_CASES } from './losses.js';
import { OPTIMIZER_CASES } from './optimizers.js';
import { POOLING_CASES } from './pooling.js';
import { RECURRENT_CASES } from './recurrent.js';
import { TRAINER_MLP_TRAINING } from './trainerMlp.js';
import { TWO_HEADED_TRAINING } from './twoHeaded.js';

/** What Nutshell composes, checked forward and backward on every backend. */
export const STACK_CASES: readonly OpCase[] = [
  ...CONV_CASES,
  ...FFT_BACKEND_CASES,
  ...CONV1D_CASES,
  ...POOLING_CASES,
  ...LAYER_CASES,
  ...RECURRENT_CASES,
  ...LOSS_CASES,
  ...METRIC_CASES,
  ...OPTIMIZER_CASES,
];

/** Training runs built from Nutshell's layers and optimizers. */
export const STACK_TRAINING: readonly TrainingCase[] = [
  LENET_TRAINING,
  TRAINER_MLP_TRAINING,
  TWO_HEADED_TRAINING,
];
