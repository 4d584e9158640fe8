// The playground page: pick a backend, load a data set, train step by step and show what the network learns.
import { tf } from '@nutshell/tensor';
import { chooseBackend } from './backend.js';
import type { BackendChoice } from './backend.js';
import { loadDataSet, loadManifest } from './data.js';
import type { DataSet, DataSetMeta } from './data.js';
import { NETWORKS, createNetwork, type NetworkKind } from './model.js';
import { Pad } from './pad.js';
import { Session } from './session.js';
import { featureMapsSvg, filtersSvg, gatesSvg, lossSvg, predictionSvg } from './views.js';
import './style.css';

/** What the page exposes for its end-to-end test (and for the curious, in the console). */
interface PlaygroundState {
  backend?: BackendChoice;
  dataset?: string;
  network?: NetworkKind;
  steps: number;
  losses: number[];
  testAccuracy?: number;
  prediction?: { digit: number; probability: number };
  error?: string;
}

const state: PlaygroundState = { steps: 0, losses: [] };
(window as unknown as { __playground: PlaygroundState }).__playground = state;

const BASE = import.meta.env.BASE_URL;
const params = new URLSearchParams(location.search);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const els = {
  backend: $('backend'),
  notice: $('notice'),
  dataset: $<HTMLSelectElement>('dataset'),
  network: $<HTMLSelectElement>('network'),
  train: $<HTMLButtonElement>('train'),
  reset: $<HTMLButtonElement>('reset'),
  status: $('status'),
  loss: $('loss'),
  filters: $('filters'),
  maps: $('maps'),
  pad: $<HTMLCanvasElement>('pad'),
  clear: $<HTMLButtonElement>('clear'),
  sample: $<HTMLButtonElement>('sample'),
  predictionLabel: $('prediction-label'),
  predictionChart: $('prediction-chart'),
  model: $('model'),
};

const pad = new Pad(els.pad);
const cache = new Map<string, DataSet>();
let metas: DataSetMeta[] = [];
let session: Session | undefined;
let running = false;
let sampleIndex = 0;
/** What is on the pad: a test image (with its label) or the user's drawing. */
let onPad: { kind: 'test'; label: number } | { kind: 'drawing' } = { kind: 'drawing' };

function fail(e: unknown): void {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  state.error = message;
  running = false;
  els.notice.textContent = message;
  els.notice.className = 'notice error';
  console.error(e);
}

/** The picture on the pad at the model's input size: what the feature maps and the prediction are about. */
function currentPixels(): Float32Array {
  return pad.pixels(session!.data.height, session!.data.width);
}

/** Puts the next held-out test image on the pad. */
function showTestImage(): void {
  const s = session!;
  const k = s.data.train + (sampleIndex++ % (s.data.n - s.data.train));
  const size = s.data.height * s.data.width;
  onPad = { kind: 'test', label: s.data.y[k] };
  pad.show(s.data.x.slice(k * size, (k + 1) * size), s.data.height, s.data.width);
}

async function refreshPictures(): Promise<void> {
  if (!session) return;
  const pixels = currentPixels();
  if (session.cnn.lstm) {
    // No filters to draw: the picture to watch is the LSTM's gates while it reads the digit's rows.
    els.filters.innerHTML =
      '<p class="model">An LSTM has no filters: it reads the digit one row per step. Its gates, below, show at each row what it writes into its memory (input gate), keeps (forget gate near 1) and reads out (output gate).</p>';
    els.maps.innerHTML = await gatesSvg(session.cnn, pixels);
  } else {
    els.filters.innerHTML = await filtersSvg(session.cnn);
    els.maps.innerHTML = await featureMapsSvg(session.cnn, pixels);
  }
  await refreshPrediction(pixels);
}

async function refreshPrediction(pixels = currentPixels()): Promise<void> {
  if (!session) return;
  const p = await session.predict(pixels);
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  state.prediction = { digit: best, probability: p[best] };
  const what = pad.empty ? 'The empty pad' : onPad.kind === 'test' ? `This test image (a ${onPad.label})` : 'Your drawing';
  els.predictionLabel.textContent = `${what} looks like a ${best} (${(p[best] * 100).toFixed(0)}% sure)`;
  els.predictionChart.innerHTML = predictionSvg(p);
}

function showStatus(extra = ''): void {
  const s = session!;
  const last = s.losses.length ? s.losses[s.losses.length - 1].toFixed(3) : '–';
  const acc = state.testAccuracy !== undefined ? ` · test accuracy ${(state.testAccuracy * 100).toFixed(1)}%` : '';
  els.status.textContent = `step ${s.step} · loss ${last}${acc}${extra}`;
}

async function startSession(): Promise<void> {
  running = false;
  els.train.textContent = 'Train';
  session?.dispose();
  const meta = metas.find((m) => m.id === els.dataset.value)!;
  els.status.textContent = `loading ${meta.title}…`;
  let data = cache.get(meta.id);
  if (!data) {
    data = await loadDataSet(BASE, meta);
    cache.set(meta.id, data);
  }
  const network = els.network.value as NetworkKind;
  const cnn = createNetwork(network, data.height, data.width, 1);
  session = new Session(data, cnn, { batchSize: 32, learningRate: data.height <= 8 ? 0.01 : 0.005, seed: 1 });
  state.dataset = meta.id;
  state.network = network;
  state.steps = 0;
  state.losses = session.losses;
  state.testAccuracy = undefined;
  state.prediction = undefined;
  els.model.textContent = `${meta.title}: ${cnn.description} (${cnn.model.countParams().toLocaleString('en')} weights)`;
  els.loss.innerHTML = lossSvg([], []);
  pad.onChange = () => {};
  showTestImage();
  pad.onChange = onPadChange;
  await refreshPictures();
  showStatus();
}

function onPadChange(): void {
  refreshPictures().catch(fail);
}

async function trainLoop(): Promise<void> {
  const s = session!;
  let t0 = performance.now();
  let stepsAtT0 = s.step;
  while (running && s === session) {
    await s.trainStep();
    state.steps = s.step;
    if (s.step % 5 === 0 || s.step < 5) els.loss.innerHTML = lossSvg(s.losses, s.testAccuracy);
    if (s.step % 25 === 0) {
      const rate = ((s.step - stepsAtT0) / (performance.now() - t0)) * 1000;
      t0 = performance.now();
      stepsAtT0 = s.step;
      await refreshPictures();
      if (s.step % 100 === 0) state.testAccuracy = await s.evaluate();
      showStatus(` · ${rate.toFixed(1)} steps/s`);
    } else {
      showStatus();
    }
    await new Promise((r) => setTimeout(r, 0)); // let the page draw and take clicks
  }
}

async function main(): Promise<void> {
  state.backend = await chooseBackend(BASE, params.get('backend'));
  els.backend.textContent = `${state.backend.name} · ${state.backend.device}`;
  if (state.backend.notice) {
    els.notice.textContent = state.backend.notice;
    els.notice.className = state.backend.name === 'webgpu' ? 'notice info' : 'notice warn';
  }
  metas = await loadManifest(BASE);
  els.dataset.innerHTML = metas.map((m) => `<option value="${m.id}">${m.title}</option>`).join('');
  els.dataset.value = params.get('dataset') ?? metas[0].id;
  const network = params.get('model') ?? 'cnn';
  if (!(NETWORKS as readonly string[]).includes(network)) throw new Error(`?model=${network}: choose one of ${NETWORKS.join(', ')}.`);
  els.network.value = network;
  await startSession();

  els.dataset.addEventListener('change', () => startSession().catch(fail));
  els.network.addEventListener('change', () => startSession().catch(fail));
  els.reset.addEventListener('click', () => startSession().catch(fail));
  els.train.addEventListener('click', () => {
    running = !running;
    els.train.textContent = running ? 'Pause' : 'Train';
    if (running) {
      trainLoop()
        .then(async () => {
          await refreshPictures();
          if (session) state.testAccuracy = await session.evaluate();
          if (session) els.loss.innerHTML = lossSvg(session.losses, session.testAccuracy);
          showStatus();
        })
        .catch(fail);
    }
  });
  els.clear.addEventListener('click', () => {
    pad.clear();
    onPad = { kind: 'drawing' };
    refreshPictures().catch(fail);
  });
  els.sample.addEventListener('click', showTestImage);
  pad.onStrokeStart = () => {
    if (onPad.kind === 'test') pad.clear(); // a drawing starts on a clean pad
    onPad = { kind: 'drawing' };
  };
  els.train.disabled = false;
  document.body.dataset.ready = 'true';
  console.info(`playground: training on ${state.backend.name} (${state.backend.device}); tensors in memory: ${tf.memory().numTensors}`);
}

main().catch(fail);
