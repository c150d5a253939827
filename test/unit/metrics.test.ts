import { describe, expect, it } from 'vitest';
import { averagePrecision, ndcgAt, rankDistance, recallAt, relevantRanks, RankingAccumulator } from '../../src/core/eval/metrics';

describe('ranking metrics', () => {
  it('give 1 for a perfect ranking', () => {
    const ranks = relevantRanks([0.9, 0.8, 0.1, 0.0], [0, 1]);
    expect(ranks).toEqual([1, 2]);
    expect(averagePrecision(ranks)).toBe(1);
    expect(recallAt(ranks, 1)).toBe(0.5);
    expect(ndcgAt(ranks, 10)).toBeCloseTo(1, 12);
  });

  it('give the exact AP of a known permutation', () => {
    // Relevant items 0 and 4 land at ranks 4 and 5 of 6: AP = (1/4 + 2/5) / 2.
    const ranks = relevantRanks([0.5, 0.9, 0.8, 0.7, 0.2, 0.1], [0, 4]);
    expect(ranks).toEqual([4, 5]);
    expect(averagePrecision(ranks)).toBeCloseTo((1 / 4 + 2 / 5) / 2, 12);
    // At ranks 2 and 5: AP = (1/2 + 2/5) / 2.
    expect(averagePrecision(relevantRanks([0.8, 0.9, 0.7, 0.6, 0.5, 0.1], [0, 4]))).toBeCloseTo((1 / 2 + 2 / 5) / 2, 12);
    expect(ndcgAt([3], 10)).toBeCloseTo(0.5, 12);
    expect(rankDistance([2, 5])).toBe(3);
  });

  it('rank ties pessimistically', () => {
    // One relevant among four equal scores: it is ranked last.
    expect(relevantRanks([1, 1, 1, 1], [0])).toEqual([4]);
    expect(averagePrecision([4])).toBe(0.25);
    // Two relevant tied with two others: both come after the non-relevant ones.
    const ranks = relevantRanks([1, 1, 1, 1], [0, 2]);
    expect(ranks).toEqual([3, 4]);
    expect(averagePrecision(ranks)).toBeCloseTo((1 / 3 + 2 / 4) / 2, 12);
    // A strictly better score still wins.
    expect(relevantRanks([0.5, 0.5, 0.7], [2])).toEqual([1]);
  });

  it('average over queries', () => {
    const acc = new RankingAccumulator();
    acc.add([1]);
    acc.add([4]);
    const s = acc.summary();
    expect(s.map).toBeCloseTo((1 + 0.25) / 2, 12);
    expect(s.recall1).toBe(0.5);
    expect(s.recall5).toBe(1);
    expect(s.queries).toBe(2);
  });
});
