import * as tf from '@tensorflow/tfjs';
import type { ParallelCorpus, Split } from '../data/corpus';
import { embedTexts } from '../embed';
import type { Encoder } from '../encoder';
import type { Tokenizer } from '../tokenizer';
import { RankingAccumulator, relevantRanks, type RankingSummary } from './metrics';

/**
 * A multilingual retrieval task in the LAReQA form: per language a pool of candidate sentences, and
 * questions asked in every language, each with its relevant candidate in every language.
 */
export interface RetrievalTask {
  name: string;
  languages: string[];
  /** language -> candidate sentences */
  candidates: Record<string, string[]>;
  queries: { id: string; text: Record<string, string>; relevant: Record<string, number> }[];
}

export interface RetrievalReport {
  task: string;
  languages: string[];
  /** Mean over languages of the per-language mAP. */
  mono: number;
  /** Mean over ordered pairs Lq != Lp of the per-pair mAP. */
  cross: number;
  /** mAP with the pool of all languages together and one relevant sentence per language. */
  multi: number;
  /** Mean over queries of the largest minus smallest rank of the relevant sentences (multi setting). */
  rankDistance: number;
  /** matrix[Lq][Lp] = mAP of queries in Lq against the pool of Lp (the diagonal is mono). */
  matrix: Record<string, Record<string, number>>;
  monoDetail: RankingSummary;
  crossDetail: RankingSummary;
  multiDetail: RankingSummary;
  queries: number;
  candidates: number;
  ms: number;
}

/** The retrieval task of one split of the bundled corpus: every sentence of its passages is a candidate. */
export function corpusTask(corpus: ParallelCorpus, split: Split): RetrievalTask {
  const languages = corpus.languages;
  const candidates: Record<string, string[]> = {};
  const offsets = new Map<string, number>();
  for (const lang of languages) {
    const list: string[] = [];
    for (const p of corpus.passagesOf(split, lang)) {
      if (lang === languages[0]) offsets.set(p.id, list.length);
      list.push(...p.sentences);
    }
    candidates[lang] = list;
  }
  const queries = corpus.questionGroups(split).map((g) => {
    const at = offsets.get(g.passageId)! + g.answer;
    return { id: g.questionId, text: g.questions, relevant: Object.fromEntries(languages.map((l) => [l, at])) };
  });
  return { name: `corpus:${split}`, languages, candidates, queries };
}

/** Scores of query rows against candidate rows, computed on the tfjs backend in blocks of queries. */
async function scoreBlocks(
  queries: Float32Array,
  candidates: Float32Array,
  dim: number,
  visit: (row: number, scores: Float32Array) => void,
): Promise<void> {
  const nq = queries.length / dim;
  const nc = candidates.length / dim;
  const cand = tf.tensor2d(candidates, [nc, dim]);
  const block = Math.max(1, Math.floor(4_000_000 / Math.max(nc, 1)));
  try {
    for (let start = 0; start < nq; start += block) {
      const rows = Math.min(block, nq - start);
      const s = tf.tidy(() => tf.matMul(tf.tensor2d(queries.subarray(start * dim, (start + rows) * dim), [rows, dim]), cand, false, true));
      const data = (await s.data()) as Float32Array;
      s.dispose();
      for (let r = 0; r < rows; r++) visit(start + r, data.subarray(r * nc, (r + 1) * nc));
    }
  } finally {
    cand.dispose();
  }
}

/**
 * Embeds every text of the task once, then computes the mono, cross and multi settings, the full
 * language-by-language mAP matrix and the rank distance.
 */
export async function evaluateRetrieval(
  encoder: Encoder,
  tokenizer: Tokenizer,
  task: RetrievalTask,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RetrievalReport> {
  const started = performance.now();
  const { languages } = task;
  const dim = encoder.config.hiddenSize;
  const total = languages.length * 2;
  let done = 0;
  const candVecs: Record<string, Float32Array> = {};
  const queryVecs: Record<string, Float32Array> = {};
  for (const lang of languages) {
    candVecs[lang] = (await embedTexts(encoder, tokenizer, task.candidates[lang]!, { batchSize: options.batchSize })).vectors;
    options.onProgress?.(++done, total);
    queryVecs[lang] = (await embedTexts(encoder, tokenizer, task.queries.map((q) => q.text[lang]!), { batchSize: options.batchSize })).vectors;
    options.onProgress?.(++done, total);
  }

  const matrix: Record<string, Record<string, number>> = {};
  const mono = new RankingAccumulator();
  const cross = new RankingAccumulator();
  let crossSum = 0;
  let crossPairs = 0;
  for (const lq of languages) {
    matrix[lq] = {};
    for (const lp of languages) {
      const acc = new RankingAccumulator();
      await scoreBlocks(queryVecs[lq]!, candVecs[lp]!, dim, (row, scores) => {
        const ranks = relevantRanks(scores, [task.queries[row]!.relevant[lp]!]);
        acc.add(ranks);
        (lq === lp ? mono : cross).add(ranks);
      });
      matrix[lq]![lp] = acc.summary().map;
      if (lq !== lp) {
        crossSum += matrix[lq]![lp]!;
        crossPairs++;
      }
    }
  }

  // Multi: one pool of every language's candidates; each query's relevant set is its answer in each language.
  const offsets: Record<string, number> = {};
  let n = 0;
  for (const lang of languages) {
    offsets[lang] = n;
    n += task.candidates[lang]!.length;
  }
  const pool = new Float32Array(n * dim);
  for (const lang of languages) pool.set(candVecs[lang]!, offsets[lang]! * dim);
  const multi = new RankingAccumulator();
  for (const lq of languages) {
    await scoreBlocks(queryVecs[lq]!, pool, dim, (row, scores) => {
      const q = task.queries[row]!;
      multi.add(relevantRanks(scores, languages.map((l) => offsets[l]! + q.relevant[l]!)));
    });
  }
  const monoMeans = languages.map((l) => matrix[l]![l]!);
  const multiDetail = multi.summary();
  return {
    task: task.name,
    languages,
    mono: monoMeans.reduce((a, b) => a + b, 0) / languages.length,
    cross: crossPairs ? crossSum / crossPairs : 0,
    multi: multiDetail.map,
    rankDistance: multiDetail.rankDistance,
    matrix,
    monoDetail: mono.summary(),
    crossDetail: cross.summary(),
    multiDetail,
    queries: task.queries.length,
    candidates: n,
    ms: performance.now() - started,
  };
}
