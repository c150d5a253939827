// The benchmark's measurements, the same code in Node and in Chromium: training steps (the Trainer's
// own step: tokenize, forward, InfoNCE, gradients, clipping, AdamW), the backend's large-matmul rate,
// embedding throughput, search latency and memory over many steps. Runs on whatever backend is active.
import * as tf from '@tensorflow/tfjs';
import { BUILT_IN_PASSAGES } from './texts';
import type { EncoderConfig } from '../src/core/config';
import type { Batch } from '../src/core/data/samplers';
import { cosineScores, embedTexts, topK } from '../src/core/embed';
import { Rng } from '../src/core/rng';
import { Tokenizer } from '../src/core/tokenizer';
import { Trainer, TRAIN_DEFAULTS, type PairSampler } from '../src/core/train/trainer';
import { syntheticEncoder, type ModelShape } from './synthetic';

/** tokenizer.json and tokenizer_config.json of the bundled model, whose vocabulary the bench models share. */
export interface TokenizerFiles {
  json: unknown;
  config: Record<string, unknown>;
}

export function makeTokenizer(files: TokenizerFiles, config: EncoderConfig, maxLength: number): Tokenizer {
  return Tokenizer.fromJSON(files.json, files.config, config, maxLength);
}

/**
 * Texts just long enough for `tokenizer` to cut them at its maximum length: the app's built-in
 * multilingual passages joined until they pass it, so every step has the shape it is named after and
 * tokenizing costs what a real batch of that length costs, no more.
 */
function longTexts(count: number, tokenizer: Tokenizer, rng: Rng): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = BUILT_IN_PASSAGES[rng.int(BUILT_IN_PASSAGES.length)]!.text;
    while (!tokenizer.encodeOne(text).truncated) text += ` ${BUILT_IN_PASSAGES[rng.int(BUILT_IN_PASSAGES.length)]!.text}`;
    out.push(text);
  }
  return out;
}

/** Pairs of long random texts, batch after batch: the trainer's input with no corpus needed. */
class LongTextSampler implements PairSampler {
  private readonly rng: Rng;
  private readonly pool: string[];
  constructor(private readonly batchSize: number, tokenizer: Tokenizer, seed: number) {
    this.rng = new Rng(seed);
    this.pool = longTexts(64, tokenizer, this.rng);
  }
  next(): Batch {
    const texts = Array.from({ length: this.batchSize * 2 }, () => this.pool[this.rng.int(this.pool.length)]!);
    const pairs = Array.from({ length: this.batchSize }, (_, i) => ({ query: texts[2 * i]!, passage: texts[2 * i + 1]!, questionId: `q${i}`, answerKey: `a${i}` }));
    return { kind: 'mono', queryLang: 'mixed', passageLang: 'mixed', pairs };
  }
  state(): unknown {
    return { rng: this.rng.state };
  }
}

/**
 * Matmul-class FLOPs of one training step on `sequences` sequences of `length` tokens: per layer and
 * token 2 * hidden * (4 * hidden + 2 * intermediate) for the projections and feed-forward, plus
 * 4 * length * hidden for scores and weighted sum; backward is twice forward.
 */
export function trainingFlops(s: ModelShape, sequences: number, length: number): number {
  const perToken = s.layers * (2 * s.hidden * (4 * s.hidden + 2 * s.intermediate) + 4 * length * s.hidden);
  return 3 * perToken * sequences * length;
}

export interface TrainingResult {
  batch: number;
  length: number;
  fused: boolean;
  steps: number;
  msPerStep: number;
  pairsPerSecond: number;
  flopsPerStep: number;
  gflops: number;
  loss: number;
}

/** Median time of `steps` training steps after `warmup` (shader compilation, first allocations). */
export async function measureTraining(
  shape: ModelShape,
  tokenizerFiles: TokenizerFiles,
  batch: number,
  length: number,
  fused: boolean,
  steps: number,
  warmup = 1,
): Promise<TrainingResult> {
  const encoder = syntheticEncoder(shape, 1);
  encoder.fused = fused;
  const tokenizer = makeTokenizer(tokenizerFiles, encoder.config, length);
  const trainer = new Trainer(encoder, tokenizer, new LongTextSampler(batch, tokenizer, 7), { ...TRAIN_DEFAULTS, batchSize: batch, steps: warmup + steps, warmupSteps: 1, languages: [] });
  const times: number[] = [];
  let loss = NaN;
  for (let i = 0; i < warmup + steps; i++) {
    const e = await trainer.trainStep();
    if (i >= warmup) times.push(e.ms);
    loss = e.loss;
  }
  trainer.dispose();
  encoder.dispose();
  const ms = median(times);
  const flopsPerStep = trainingFlops(shape, 2 * batch, length);
  return { batch, length, fused, steps, msPerStep: ms, pairsPerSecond: (batch * 1000) / ms, flopsPerStep, gflops: flopsPerStep / ms / 1e6, loss };
}

export interface MatmulResult {
  n: number;
  ms: number;
  gflops: number;
}

/** The backend's own large-matmul rate: the best of a few n x n x n products, read back each time. */
export async function measureMatmulPeak(n: number, repeats = 3): Promise<MatmulResult> {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  let best = Infinity;
  for (let i = 0; i <= repeats; i++) {
    const started = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    const ms = performance.now() - started;
    c.dispose();
    // The first run compiles and allocates; it does not count.
    if (i > 0) best = Math.min(best, ms);
  }
  tf.dispose([a, b]);
  return { n, ms: best, gflops: (2 * n * n * n) / best / 1e6 };
}

export interface EmbeddingResult {
  sentences: number;
  length: number;
  ms: number;
  sentencesPerSecond: number;
}

/** embedTexts over `count` texts of up to `length` tokens, as the app indexes passages. */
export async function measureEmbedding(shape: ModelShape, tokenizerFiles: TokenizerFiles, count: number, length: number, fused: boolean): Promise<EmbeddingResult> {
  const encoder = syntheticEncoder(shape, 2);
  encoder.fused = fused;
  const tokenizer = makeTokenizer(tokenizerFiles, encoder.config, length);
  const texts = longTexts(count, tokenizer, new Rng(3));
  await embedTexts(encoder, tokenizer, texts.slice(0, 32)); // warm-up: compile shaders, allocate
  const started = performance.now();
  await embedTexts(encoder, tokenizer, texts);
  const ms = performance.now() - started;
  encoder.dispose();
  return { sentences: count, length, ms, sentencesPerSecond: (count * 1000) / ms };
}

export interface SearchResult {
  passages: number;
  queries: number;
  p50: number;
  p95: number;
  /** The part spent scoring and ranking the pool, median, without embedding the query. */
  rankP50: number;
}

/**
 * Search latency as the app searches: embed the query, score every passage vector, take the top 10.
 * The pool is random unit vectors of the model's dimension (embedding 100,000 passages first would
 * take hours on SwiftShader and measures nothing the embedding figure does not).
 */
export async function measureSearch(shape: ModelShape, tokenizerFiles: TokenizerFiles, poolSizes: number[], queries: number, fused: boolean): Promise<SearchResult[]> {
  const encoder = syntheticEncoder(shape, 3);
  encoder.fused = fused;
  const tokenizer = makeTokenizer(tokenizerFiles, encoder.config, 64);
  const rng = new Rng(4);
  const questions = BUILT_IN_PASSAGES.map((p) => p.text);
  const out: SearchResult[] = [];
  await embedTexts(encoder, tokenizer, [questions[0]!]);
  for (const n of poolSizes) {
    const pool = randomUnitVectors(n, shape.hidden, rng);
    const total: number[] = [];
    const rank: number[] = [];
    for (let q = 0; q < queries; q++) {
      const started = performance.now();
      const { vectors, dim } = await embedTexts(encoder, tokenizer, [questions[q % questions.length]!]);
      const ranked = performance.now();
      topK(cosineScores(vectors, pool, dim), 10);
      const done = performance.now();
      total.push(done - started);
      rank.push(done - ranked);
    }
    out.push({ passages: n, queries, p50: percentile(total, 50), p95: percentile(total, 95), rankP50: percentile(rank, 50) });
  }
  encoder.dispose();
  return out;
}

export interface MemoryResult {
  steps: number;
  batch: number;
  length: number;
  fused: boolean;
  /** Tensors and bytes tfjs holds after the first step and after the last: equal when nothing leaks. */
  tensorsAfterFirst: number;
  tensorsAfterLast: number;
  bytesAfterFirst: number;
  bytesAfterLast: number;
  /** Highest live bytes tfjs reported after any step, and during the profiled last step. */
  peakBytes: number;
  peakBytesInStep: number;
  maxTensors: number;
}

/** Trains `steps` steps and watches tfjs's tensor count and bytes for growth. */
export async function measureMemory(shape: ModelShape, tokenizerFiles: TokenizerFiles, batch: number, length: number, fused: boolean, steps: number): Promise<MemoryResult> {
  const encoder = syntheticEncoder(shape, 4);
  encoder.fused = fused;
  const tokenizer = makeTokenizer(tokenizerFiles, encoder.config, length);
  const trainer = new Trainer(encoder, tokenizer, new LongTextSampler(batch, tokenizer, 8), { ...TRAIN_DEFAULTS, batchSize: batch, steps, warmupSteps: 1, languages: [] });
  let first: tf.MemoryInfo | null = null;
  let last: tf.MemoryInfo = tf.memory();
  let peakBytes = 0;
  let maxTensors = 0;
  let peakBytesInStep = 0;
  for (let i = 0; i < steps; i++) {
    if (i === steps - 1) {
      // tf.profile reports the peak within the step, intermediates included.
      const info = await tf.profile(async () => {
        await trainer.trainStep();
        return [];
      });
      peakBytesInStep = info.peakBytes;
    } else {
      await trainer.trainStep();
    }
    last = tf.memory();
    first ??= last;
    peakBytes = Math.max(peakBytes, last.numBytes);
    maxTensors = Math.max(maxTensors, last.numTensors);
  }
  trainer.dispose();
  encoder.dispose();
  return {
    steps,
    batch,
    length,
    fused,
    tensorsAfterFirst: first!.numTensors,
    tensorsAfterLast: last.numTensors,
    bytesAfterFirst: first!.numBytes,
    bytesAfterLast: last.numBytes,
    peakBytes,
    peakBytesInStep,
    maxTensors,
  };
}

function randomUnitVectors(n: number, dim: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = rng.next() * 2 - 1;
      out[i * dim + d] = v;
      norm += v * v;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dim; d++) out[i * dim + d]! *= inv;
  }
  return out;
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
