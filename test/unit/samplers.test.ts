import { describe, expect, it } from 'vitest';
import { loadCorpusFromParts } from '../../src/cli/corpus-node';
import { BatchSampler, type Batch } from '../../src/core/data/samplers';

const corpus = loadCorpusFromParts();
const groups = corpus.questionGroups('train');
const languages = corpus.languages;

function draw(strategy: 'mono' | 'cross' | 'hybrid', n: number, seed = 7, alpha = 0.5): Batch[] {
  const s = new BatchSampler(groups, { strategy, alpha, batchSize: 16, seed, languages });
  return Array.from({ length: n }, () => s.next());
}

describe('batch samplers', () => {
  it('mono: every pair is a question and its answer sentence in the same language', () => {
    for (const b of draw('mono', 30)) {
      expect(b.kind).toBe('mono');
      expect(b.queryLang).toBe(b.passageLang);
      for (const p of b.pairs) {
        const g = groups.find((x) => x.questionId === p.questionId)!;
        expect(p.query).toBe(g.questions[b.queryLang]);
        expect(p.passage).toBe(g.answers[b.queryLang]);
      }
    }
  });

  it('cross: questions in one language, answers in another', () => {
    const batches = draw('cross', 60);
    for (const b of batches) {
      expect(b.kind).toBe('cross');
      expect(b.queryLang).not.toBe(b.passageLang);
      for (const p of b.pairs) expect(p.passage).toBe(groups.find((x) => x.questionId === p.questionId)!.answers[b.passageLang]);
    }
    expect(new Set(batches.map((b) => `${b.queryLang}>${b.passageLang}`)).size).toBeGreaterThan(40);
  });

  it('hybrid: monolingual with probability alpha', () => {
    const share = (alpha: number) => draw('hybrid', 2000, 3, alpha).filter((b) => b.kind === 'mono').length / 2000;
    expect(share(0.5)).toBeGreaterThan(0.45);
    expect(share(0.5)).toBeLessThan(0.55);
    expect(share(0.2)).toBeGreaterThan(0.16);
    expect(share(0.2)).toBeLessThan(0.24);
    expect(share(0)).toBe(0);
    expect(share(1)).toBe(1);
  });

  it('never repeats a question group or an answer sentence within a batch', () => {
    for (const b of draw('hybrid', 300)) {
      expect(new Set(b.pairs.map((p) => p.questionId)).size).toBe(b.pairs.length);
      expect(new Set(b.pairs.map((p) => p.answerKey)).size).toBe(b.pairs.length);
      expect(b.pairs).toHaveLength(16);
    }
  });

  it('is reproducible from its seed and resumes exactly from its state', () => {
    expect(draw('hybrid', 20, 11)).toEqual(draw('hybrid', 20, 11));
    expect(draw('hybrid', 5, 11)).not.toEqual(draw('hybrid', 5, 12));
    const a = new BatchSampler(groups, { strategy: 'hybrid', alpha: 0.5, batchSize: 16, seed: 5, languages });
    for (let i = 0; i < 50; i++) a.next();
    const b = new BatchSampler(groups, a.config, JSON.parse(JSON.stringify(a.state())));
    for (let i = 0; i < 100; i++) expect(b.next()).toEqual(a.next());
  });

  it('covers the train split evenly: each group once per epoch, give or take the batch edges', () => {
    const s = new BatchSampler(groups, { strategy: 'mono', alpha: 0.5, batchSize: 16, seed: 1, languages });
    const seen = new Map<string, number>();
    const batches = Math.floor(groups.length / 16);
    for (let i = 0; i < batches; i++) for (const p of s.next().pairs) seen.set(p.questionId, (seen.get(p.questionId) ?? 0) + 1);
    expect(seen.size).toBeGreaterThan(groups.length * 0.95);
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
  });

  it('uses no dev or test question', () => {
    const train = new Set(groups.map((g) => g.passageId));
    for (const split of ['dev', 'test'] as const) for (const g of corpus.questionGroups(split)) expect(train.has(g.passageId)).toBe(false);
  });
});
