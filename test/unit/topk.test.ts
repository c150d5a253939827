import { describe, expect, it } from 'vitest';
import { topK } from '../../src/core/embed';

/** The definition: sort every index by score, best first, ties by index. */
function byFullSort(scores: Float32Array, k: number): number[] {
  return Array.from(scores.keys())
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k);
}

describe('topK', () => {
  it('matches a full sort, ties included, for few and many out of a pool', () => {
    for (const n of [1, 7, 100, 5000]) {
      // Values from a small set, so that ties are common.
      const scores = Float32Array.from({ length: n }, () => Math.round(Math.random() * 20) / 20 - 0.5);
      for (const k of [0, 1, 3, 10, Math.floor(n / 2), n, n + 5]) {
        expect(topK(scores, k), `n=${n} k=${k}`).toEqual(byFullSort(scores, k));
      }
    }
  });
});
