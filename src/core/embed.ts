import type { Encoder } from './encoder';
import type { Tokenizer } from './tokenizer';

export interface EmbedProgress {
  done: number;
  total: number;
}

export interface EmbedResult {
  /** Row-major [count, dim], L2-normalised, rows in input order. */
  vectors: Float32Array;
  dim: number;
  truncated: number;
}

/**
 * Embeds texts in batches. Texts are grouped by token length so that batches carry little padding;
 * rows are written back in input order.
 */
export async function embedTexts(
  encoder: Encoder,
  tokenizer: Tokenizer,
  texts: string[],
  options: { batchSize?: number; onProgress?: (p: EmbedProgress) => void } = {},
): Promise<EmbedResult> {
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const dim = encoder.config.hiddenSize;
  const vectors = new Float32Array(texts.length * dim);
  const encoded = texts.map((t) => tokenizer.encodeOne(t));
  const order = texts.map((_, i) => i).sort((a, b) => encoded[a]!.ids.length - encoded[b]!.ids.length || a - b);
  let truncated = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const rows = order.slice(start, start + batchSize);
    const batch = tokenizer.pad(rows.map((i) => encoded[i]!));
    truncated += batch.truncated;
    const out = encoder.embed(batch);
    const data = (await out.data()) as Float32Array;
    out.dispose();
    rows.forEach((row, k) => vectors.set(data.subarray(k * dim, (k + 1) * dim), row * dim));
    options.onProgress?.({ done: Math.min(start + batchSize, order.length), total: order.length });
    // Yield between batches so that messages (progress, cancellation) get through.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return { vectors, dim, truncated };
}

/** Scores of every row of `matrix` ([n, dim]) against `query` ([dim]); both L2-normalised, so cosine. */
export function cosineScores(query: Float32Array, matrix: Float32Array, dim: number): Float32Array {
  const n = matrix.length / dim;
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * dim;
    for (let d = 0; d < dim; d++) s += query[d]! * matrix[base + d]!;
    scores[i] = s;
  }
  return scores;
}

/** Indices of the k best scores, best first; equal scores keep input order, so results are deterministic. */
export function topK(scores: Float32Array, k: number): number[] {
  const n = scores.length;
  k = Math.max(0, Math.min(k, n));
  if (k * 8 >= n) {
    const idx = Array.from(scores.keys());
    idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
    return idx.slice(0, k);
  }
  // A few best out of many (a search's top 10 of 100,000): keep a sorted list of the k best seen,
  // so one pass costs ~n comparisons instead of sorting all n (the ranking part of search latency).
  const best: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    // Scanning in index order, a later equal score never displaces an earlier one.
    if (best.length === k && !(s > scores[best[k - 1]!]!)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && s > scores[best[at - 1]!]!) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }
  return best;
}
