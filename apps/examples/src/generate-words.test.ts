import { Rng, ValueError, numTensors, read, tf } from '@nutshell/tensor';
import { describe, expect, it } from 'vitest';
import {
  ALPHABET,
  CONTEXT,
  baselineCrossEntropy,
  englishWords,
  generateWords,
  nextCharacterData,
  sampleIndex,
  splitWords,
  trainWordModel,
  wordModel,
} from './generate-words.js';

describe('generate-words example', () => {
  it('the corpus: a–z words of 2 to 15 letters from an-array-of-english-words', () => {
    const words = englishWords();
    expect(words.length).toBeGreaterThan(250_000);
    expect(words).toContain('memory');
    expect(words.every((w) => /^[a-z]{2,15}$/.test(w))).toBe(true);
  });

  it("the data: each letter and the word's end, after the CONTEXT tokens before it ('.'-padded)", async () => {
    const { x, y } = nextCharacterData(['ab']);
    expect(x.shape).toEqual([3, CONTEXT]);
    const [xv, yv] = [Array.from(await read(x)), Array.from(await read(y))];
    const pad = (ids: number[]) => [...new Array<number>(CONTEXT - ids.length).fill(0), ...ids];
    expect(xv).toEqual([...pad([]), ...pad([1]), ...pad([1, 2])]); // 'a' = 1, 'b' = 2
    expect(yv).toEqual([1, 2, 0]);
    tf.dispose([x, y]);
  });

  it('the baselines, by hand: one word "ab" seen, the same word held out', () => {
    // Add-one counts: '.', 'a', 'b' twice each, 24 other tokens once: 30 in all, so each of the 3 held-out
    // tokens costs ln(30 / 2). The bigram rows after '.', 'a' and 'b' each hold 28 counts, the seen pair 2.
    const { unigram, bigram } = baselineCrossEntropy(['ab'], ['ab']);
    expect(unigram).toBeCloseTo(Math.log(15), 12);
    expect(bigram).toBeCloseTo(Math.log(14), 12);
  });

  it('sampling: temperature 0 is the argmax, temperature 1 follows the softmax, a negative one is a ValueError', () => {
    const logits = [0, Math.log(3), Math.log(6)]; // softmax 0.1, 0.3, 0.6
    expect(sampleIndex(logits, 0, new Rng(1))).toBe(2);
    const rng = new Rng(2);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[sampleIndex(logits, 1, rng)]!++;
    counts.forEach((c, i) => expect(Math.abs(c / 20_000 - [0.1, 0.3, 0.6][i]!)).toBeLessThan(0.015));
    expect(() => sampleIndex(logits, -1, rng)).toThrow(ValueError);
    expect(() => sampleIndex(logits, -1, rng)).toThrow(
      /sampleIndex.*temperature must be a finite number >= 0, got -1/,
    );
  });

  it('a brief training beats the unigram baseline on held-out words; temperature changes the samples', async () => {
    const before = numTensors();
    const { train, test } = splitWords(englishWords(), 1_500, 500, 1);
    const base = baselineCrossEntropy(train, test);
    const model = wordModel(32, 1);
    const loss = await trainWordModel(model, train, test, { epochs: 1 });
    expect(loss).toBeLessThan(base.unigram - 0.15); // measured: unigram 2.94, bigram 2.53, LSTM 2.65 nats/char

    const cold = await generateWords(model, { count: 40, temperature: 0.3, seed: 5 });
    const hot = await generateWords(model, { count: 40, temperature: 2, seed: 5 });
    const again = await generateWords(model, { count: 40, temperature: 2, seed: 5 });
    const greedy = await generateWords(model, { count: 5, temperature: 0, seed: 5 });
    expect(hot.words).toEqual(again.words); // seeded
    expect(cold.words).not.toEqual(hot.words);
    expect(new Set(greedy.words).size).toBe(1); // every word starts from the same context: one greedy word
    expect(cold.logProb).toBeGreaterThan(hot.logProb); // colder: likelier letters under the model
    const firstLetters = (words: string[]) => new Set(words.map((w) => w[0])).size;
    expect(firstLetters(cold.words)).toBeLessThan(firstLetters(hot.words)); // colder: fewer, likelier starts
    for (const w of [...cold.words, ...hot.words])
      expect(w).toMatch(new RegExp(`^[${ALPHABET.slice(1)}]{2,15}$`));
    model.dispose();
    expect(numTensors()).toBe(before);
  }, 60_000);
});
