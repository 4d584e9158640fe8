// A character-level language model that makes up English-looking words.
//
// The corpus is the npm package `an-array-of-english-words` (MIT licence, about 275,000 words; we keep the ones
// made only of the letters a–z, 2 to 15 long). Every letter of every word, and the end of the word, is one
// example: the model reads the last CONTEXT characters before it (the start of a word padded with '.', the same
// token that marks the end) and predicts the next one. An Embedding of the 27 tokens feeds an LSTM whose last
// output goes to 27 logits. We report the held-out cross-entropy per character (and its perplexity) against two
// baselines that need no network: letter frequencies alone (unigram) and the previous letter alone (bigram). Then
// it writes new words, one letter at a time, sampling each from softmax(logits / temperature): a low temperature
// sharpens the distribution towards the likeliest letters (common, repetitive words), a high one flattens it
// (odder words, more of them unpronounceable).
//
//   pnpm example generate-words              # 30,000 training words, 3 epochs: about 4 min of CPU time
//   pnpm example generate-words --quick      # 5,000 words, 1 epoch
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Dense, Sequential } from '@nutshell/layers';
import { Embedding, LSTM } from '@nutshell/recurrent';
import { Rng, ValueError, shuffle, tf, type Tensor } from '@nutshell/tensor';
import { Trainer, sparseCategoricalCrossentropy } from '@nutshell/train';

/** The tokens: '.' (start padding and end of word) then a … z. */
export const ALPHABET = '.abcdefghijklmnopqrstuvwxyz';
/** How many characters the model reads before predicting the next one. */
export const CONTEXT = 12;
const END = 0;
const MAX_WORD = 15;

/** The corpus: the package's words made only of a–z, 2 to 15 letters, in the package's (alphabetical) order. */
export function englishWords(): string[] {
  const all = createRequire(import.meta.url)('an-array-of-english-words') as string[];
  return all.filter((w) => w.length >= 2 && w.length <= MAX_WORD && /^[a-z]+$/.test(w));
}

/** Splits words into a training and a held-out set at random (seeded), `trainCount` and `testCount` of them. */
export function splitWords(
  words: readonly string[],
  trainCount: number,
  testCount: number,
  seed: number,
): { train: string[]; test: string[] } {
  if (trainCount + testCount > words.length) {
    throw new ValueError(
      'splitWords',
      undefined,
      `asked for ${trainCount} + ${testCount} words, have ${words.length}`,
    );
  }
  const shuffled = shuffle([...words], { seed });
  return { train: shuffled.slice(0, trainCount), test: shuffled.slice(trainCount, trainCount + testCount) };
}

function tokens(word: string): number[] {
  return [...word].map((ch) => ALPHABET.indexOf(ch));
}

/**
 * One example per character of each word and one for its end: the CONTEXT tokens before it (padded with '.') as
 * `x` `[n, CONTEXT]` int32, the token to predict as `y` `[n]` int32.
 */
export function nextCharacterData(words: readonly string[]): { x: Tensor; y: Tensor } {
  const count = words.reduce((n, w) => n + w.length + 1, 0);
  const xs = new Int32Array(count * CONTEXT); // zeros: '.'
  const ys = new Int32Array(count);
  let row = 0;
  for (const word of words) {
    const ids = [...tokens(word), END];
    for (let t = 0; t < ids.length; t++) {
      for (let k = 0; k < CONTEXT; k++) {
        const from = t - CONTEXT + k;
        if (from >= 0) xs[row * CONTEXT + k] = ids[from]!;
      }
      ys[row++] = ids[t]!;
    }
  }
  return { x: tf.tensor2d(xs, [count, CONTEXT], 'int32'), y: tf.tensor1d(ys, 'int32') };
}

/**
 * The held-out cross-entropy per character, in nats, of two models that need no training loop: letter
 * frequencies (unigram) and the previous letter (bigram), both counted on `train` with add-one smoothing.
 */
export function baselineCrossEntropy(
  train: readonly string[],
  test: readonly string[],
): { unigram: number; bigram: number } {
  const v = ALPHABET.length;
  const uni = new Float64Array(v).fill(1);
  const bi = Array.from({ length: v }, () => new Float64Array(v).fill(1));
  const pairs = (w: string) => {
    const ids = [END, ...tokens(w), END];
    return ids.slice(1).map((id, i) => [ids[i]!, id] as const);
  };
  for (const w of train) {
    for (const [prev, id] of pairs(w)) {
      uni[id]++;
      bi[prev]![id]++;
    }
  }
  const uniTotal = uni.reduce((a, b) => a + b);
  const biTotal = bi.map((row) => row.reduce((a, b) => a + b));
  let unigram = 0;
  let bigram = 0;
  let n = 0;
  for (const w of test) {
    for (const [prev, id] of pairs(w)) {
      unigram -= Math.log(uni[id]! / uniTotal);
      bigram -= Math.log(bi[prev]![id]! / biTotal[prev]!);
      n++;
    }
  }
  return { unigram: unigram / n, bigram: bigram / n };
}

/** Embedding(27 → 16) → LSTM(units) → 27 logits for the next character. */
export function wordModel(units = 64, seed = 1): Sequential {
  return new Sequential(
    [
      new Embedding({ inputDim: ALPHABET.length, outputDim: 16, seed, name: 'embedding' }),
      new LSTM({ units, seed: seed + 1, name: 'lstm' }),
      new Dense({ units: ALPHABET.length, seed: seed + 2, name: 'logits' }),
    ],
    { inputShape: [CONTEXT], name: 'char_lstm' },
  );
}

/** Trains `model` on `train` words and returns the held-out cross-entropy per character (nats) on `test`. */
export async function trainWordModel(
  model: Sequential,
  train: readonly string[],
  test: readonly string[],
  opts: { epochs: number; batchSize?: number; log?: (line: string) => void },
): Promise<number> {
  const trainer = new Trainer(model, {
    loss: sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer: 'adam',
    learningRate: 0.005,
    seed: 1,
  });
  const data = nextCharacterData(train);
  const held = nextCharacterData(test);
  let loss = NaN;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    await trainer.fit(data, { epochs: 1, batchSize: opts.batchSize ?? 128, seed: epoch });
    loss = (await trainer.evaluate(held)).loss;
    opts.log?.(
      `epoch ${epoch}: held-out cross-entropy ${loss.toFixed(3)} nats/char (perplexity ${Math.exp(loss).toFixed(2)})`,
    );
  }
  trainer.dispose();
  tf.dispose([data.x, data.y, held.x, held.y]);
  return loss;
}

/** Index drawn from softmax(logits / temperature) with `rng`; temperature 0 takes the likeliest (greedy). */
export function sampleIndex(logits: ArrayLike<number>, temperature: number, rng: Rng): number {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new ValueError(
      'sampleIndex',
      undefined,
      `temperature must be a finite number >= 0, got ${temperature}`,
    );
  }
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (temperature === 0) return best;
  // Subtract the largest logit first: exp of a large logit / small temperature would overflow.
  const weights = Array.from(logits, (l) => Math.exp((l - logits[best]!) / temperature));
  let r = rng.nextFloat() * weights.reduce((a, b) => a + b);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/**
 * `count` new words, sampled letter by letter at `temperature` (all words advance together, one batched
 * `predict` per letter), with their mean log-probability per token under the model (at temperature 1).
 */
export async function generateWords(
  model: Sequential,
  opts: { count: number; temperature: number; seed: number },
): Promise<{ words: string[]; logProb: number }> {
  const rng = new Rng(opts.seed);
  const ids = Array.from({ length: opts.count }, () => [] as number[]);
  const done = new Array<boolean>(opts.count).fill(false);
  let logProb = 0;
  let tokensSeen = 0;
  for (let step = 0; step <= MAX_WORD && done.includes(false); step++) {
    const x = new Int32Array(opts.count * CONTEXT);
    ids.forEach((w, n) =>
      w.slice(-CONTEXT).forEach((id, k, tail) => (x[n * CONTEXT + CONTEXT - tail.length + k] = id)),
    );
    const logits = tf.tidy(() => model.predict(tf.tensor2d(x, [opts.count, CONTEXT], 'int32')));
    const logSoftmax = tf.tidy(() => tf.logSoftmax(logits));
    const [l, ls] = [await logits.data(), await logSoftmax.data()];
    tf.dispose([logits, logSoftmax]);
    const v = ALPHABET.length;
    for (let n = 0; n < opts.count; n++) {
      if (done[n]) continue;
      // A word may not end before 2 letters nor run past MAX_WORD: those tokens are left out of the draw.
      const row = Array.from(l.subarray(n * v, (n + 1) * v));
      if (step < 2) row[END] = -Infinity;
      const id = step === MAX_WORD ? END : sampleIndex(row, opts.temperature, rng);
      logProb += ls[n * v + id]!;
      tokensSeen++;
      if (id === END) done[n] = true;
      else ids[n]!.push(id);
    }
  }
  return { words: ids.map((w) => w.map((id) => ALPHABET[id]).join('')), logProb: logProb / tokensSeen };
}

/** Runs the example: baselines, training, and words at three temperatures. */
export async function main(
  opts: { trainWords?: number; epochs?: number; log?: (line: string) => void } = {},
) {
  const { trainWords = 30_000, epochs = 3, log = console.log } = opts;
  const all = englishWords();
  const { train, test } = splitWords(all, trainWords, 5_000, 1);
  const known = new Set(all);
  const base = baselineCrossEntropy(train, test);
  log(
    `${all.length} words of a–z in an-array-of-english-words; training on ${train.length}, holding out ${test.length}`,
  );
  log(`held-out cross-entropy, nats per character (perplexity):`);
  log(`  unigram (letter frequencies)  ${base.unigram.toFixed(3)} (${Math.exp(base.unigram).toFixed(2)})`);
  log(`  bigram (the previous letter)  ${base.bigram.toFixed(3)} (${Math.exp(base.bigram).toFixed(2)})`);
  const started = Date.now();
  const model = wordModel();
  const loss = await trainWordModel(model, train, test, { epochs, log: (l) => log(`  LSTM ${l}`) });
  log(
    `  LSTM(64), ${CONTEXT} characters of context  ${loss.toFixed(3)} (${Math.exp(loss).toFixed(2)})   [${((Date.now() - started) / 1000).toFixed(0)} s]`,
  );
  const trained = new Set(train);
  for (const temperature of [0.5, 1, 1.5]) {
    const { words, logProb } = await generateWords(model, { count: 200, temperature, seed: 7 });
    const real = words.filter((w) => known.has(w)).length;
    const novel = words.filter((w) => known.has(w) && !trained.has(w)).length;
    const distinct = new Set(words).size;
    log(
      `temperature ${temperature}: ${distinct}/200 distinct, ${real} real English words (${novel} never seen in training), mean log-prob ${logProb.toFixed(2)}`,
    );
    log(`  ${words.slice(0, 16).join(' ')}`);
  }
  model.dispose();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.includes('--quick') ? { trainWords: 5_000, epochs: 1 } : {});
}
