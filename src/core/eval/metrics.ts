/**
 * Ranking metrics as ../shared/eval/README.md defines them. Ranks are 1-based; ties are pessimistic:
 * a candidate with the same score as a relevant one counts as ranked above it (and among tied relevant
 * candidates, the one with the lower index comes first).
 */

/** Ranks of the relevant candidates (in the order given) under `scores`. */
export function relevantRanks(scores: ArrayLike<number>, relevant: number[]): number[] {
  const isRelevant = new Set(relevant);
  return relevant.map((r) => {
    const s = scores[r]!;
    let rank = 1;
    for (let j = 0; j < scores.length; j++) {
      if (j === r) continue;
      const sj = scores[j]!;
      if (sj > s || (sj === s && (!isRelevant.has(j) || j < r))) rank++;
    }
    return rank;
  });
}

/** Average precision from the ranks of all relevant items. */
export function averagePrecision(ranks: number[]): number {
  if (ranks.length === 0) return 0;
  const sorted = [...ranks].sort((a, b) => a - b);
  let sum = 0;
  sorted.forEach((rank, k) => {
    sum += (k + 1) / rank;
  });
  return sum / sorted.length;
}

export function recallAt(ranks: number[], k: number): number {
  return ranks.length === 0 ? 0 : ranks.filter((r) => r <= k).length / ranks.length;
}

/** nDCG@k with binary relevance. */
export function ndcgAt(ranks: number[], k: number): number {
  let dcg = 0;
  for (const r of ranks) if (r <= k) dcg += 1 / Math.log2(r + 1);
  let ideal = 0;
  for (let i = 1; i <= Math.min(ranks.length, k); i++) ideal += 1 / Math.log2(i + 1);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Largest minus smallest rank among the relevant items (language bias in the multilingual setting). */
export function rankDistance(ranks: number[]): number {
  return ranks.length === 0 ? 0 : Math.max(...ranks) - Math.min(...ranks);
}

export interface RankingSummary {
  map: number;
  recall1: number;
  recall5: number;
  recall10: number;
  ndcg10: number;
  /** Only meaningful with several relevant items per query (the multilingual setting). */
  rankDistance: number;
  queries: number;
}

/** Accumulates per-query figures into means. */
export class RankingAccumulator {
  private sums = { map: 0, recall1: 0, recall5: 0, recall10: 0, ndcg10: 0, rankDistance: 0 };
  private n = 0;

  add(ranks: number[]): void {
    this.sums.map += averagePrecision(ranks);
    this.sums.recall1 += recallAt(ranks, 1);
    this.sums.recall5 += recallAt(ranks, 5);
    this.sums.recall10 += recallAt(ranks, 10);
    this.sums.ndcg10 += ndcgAt(ranks, 10);
    this.sums.rankDistance += rankDistance(ranks);
    this.n++;
  }

  summary(): RankingSummary {
    const d = Math.max(this.n, 1);
    return {
      map: this.sums.map / d,
      recall1: this.sums.recall1 / d,
      recall5: this.sums.recall5 / d,
      recall10: this.sums.recall10 / d,
      ndcg10: this.sums.ndcg10 / d,
      rankDistance: this.sums.rankDistance / d,
      queries: this.n,
    };
  }
}
