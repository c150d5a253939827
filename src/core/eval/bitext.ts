import { embedTexts } from '../embed';
import type { Encoder } from '../encoder';
import type { Tokenizer } from '../tokenizer';
import type { ParallelSentence } from '../data/bitext';
import { relevantRanks } from './metrics';
import { cosineScores } from '../embed';

export interface BitextReport {
  /** lang -> P@1 of finding the translation of each English sentence among lang's sentences, and back. */
  pairs: Record<string, { fromEnglish: number; toEnglish: number }>;
  /** Mean over languages and both directions. */
  mean: number;
  sentences: number;
}

/** Bitext retrieval between a pivot language and every other: P@1, both directions, ties pessimistic. */
export async function evaluateBitext(
  encoder: Encoder,
  tokenizer: Tokenizer,
  sentences: ParallelSentence[],
  languages: string[],
  pivot = 'en',
): Promise<BitextReport> {
  const dim = encoder.config.hiddenSize;
  const vectors: Record<string, Float32Array> = {};
  for (const lang of languages) vectors[lang] = (await embedTexts(encoder, tokenizer, sentences.map((s) => s.texts[lang]!), { batchSize: 64 })).vectors;
  const p1 = (from: Float32Array, to: Float32Array) => {
    let hits = 0;
    for (let i = 0; i < sentences.length; i++) {
      const scores = cosineScores(from.subarray(i * dim, (i + 1) * dim), to, dim);
      if (relevantRanks(scores, [i])[0] === 1) hits++;
    }
    return hits / sentences.length;
  };
  const pairs: BitextReport['pairs'] = {};
  let sum = 0;
  for (const lang of languages) {
    if (lang === pivot) continue;
    pairs[lang] = { fromEnglish: p1(vectors[pivot]!, vectors[lang]!), toEnglish: p1(vectors[lang]!, vectors[pivot]!) };
    sum += pairs[lang].fromEnglish + pairs[lang].toEnglish;
  }
  const n = Object.keys(pairs).length;
  return { pairs, mean: n ? sum / (2 * n) : 0, sentences: sentences.length };
}
