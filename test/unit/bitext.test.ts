import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusFromParts } from '../../src/cli/corpus-node';
import { diskSource } from '../../src/cli/disk-source';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { BitextSampler, MixedSampler, parallelSentences } from '../../src/core/data/bitext';
import { evaluateBitext } from '../../src/core/eval/bitext';
import { loadModel } from '../../src/core/model-io';
import { fixtureDir } from './helpers';

const corpus = loadCorpusFromParts();
const train = parallelSentences(corpus, 'train');

describe('pretraining data: parallel sentences', () => {
  it('come from passage sentences of the split only, aligned across languages', () => {
    const testIds = new Set(parallelSentences(corpus, 'test').map((s) => s.id.split('#')[0]));
    for (const s of train) expect(testIds.has(s.id.split('#')[0])).toBe(false);
    const [pid, k] = train[0]!.id.split('#');
    const p = corpus.passages.de!.find((x) => x.id === pid)!;
    expect(train[0]!.texts.de).toBe(p.sentences[Number(k)]);
  });

  it('batch translations of distinct sentences between two different languages, resumably', () => {
    const config = { batchSize: 24, seed: 3, languages: corpus.languages };
    const a = new BitextSampler(train, config);
    for (let i = 0; i < 100; i++) {
      const b = a.next();
      expect(b.queryLang).not.toBe(b.passageLang);
      expect(new Set(b.pairs.map((p) => p.query)).size).toBe(24);
      expect(new Set(b.pairs.map((p) => p.passage)).size).toBe(24);
      for (const p of b.pairs) {
        const s = train.find((x) => x.id === p.questionId)!;
        expect([p.query, p.passage]).toEqual([s.texts[b.queryLang], s.texts[b.passageLang]]);
      }
    }
    const b = new BitextSampler(train, config, JSON.parse(JSON.stringify(a.state())));
    for (let i = 0; i < 20; i++) expect(b.next()).toEqual(a.next());
  });
});

describe('mixed sampler', () => {
  const make = (state?: unknown) => {
    const parts = (state as { parts?: unknown[] } | undefined)?.parts;
    const config = (seed: number) => ({ batchSize: 8, seed, languages: corpus.languages });
    return new MixedSampler(
      [
        { sampler: new BitextSampler(train.slice(0, 100), config(1), parts?.[0]), weight: 3 },
        { sampler: new BitextSampler(train.slice(100, 200), config(2), parts?.[1]), weight: 1 },
      ],
      7,
      state,
    );
  };

  it('draws each batch whole from one source, in proportion to the weights, resumably', () => {
    const first = new Set(train.slice(0, 100).map((s) => s.id));
    const mixed = make();
    let fromFirst = 0;
    for (let i = 0; i < 400; i++) {
      const inFirst = mixed.next().pairs.map((p) => first.has(p.questionId));
      expect(new Set(inFirst).size).toBe(1);
      if (inFirst[0]) fromFirst++;
    }
    expect(fromFirst / 400).toBeGreaterThan(0.68);
    expect(fromFirst / 400).toBeLessThan(0.82);
    const resumed = make(JSON.parse(JSON.stringify(mixed.state())));
    for (let i = 0; i < 20; i++) expect(resumed.next()).toEqual(mixed.next());
  });

  it('refuses a part without a positive weight', () => {
    expect(() => new MixedSampler([{ sampler: new BitextSampler(train, { batchSize: 8, seed: 1, languages: corpus.languages }), weight: 0 }], 1)).toThrow(/positive weights/);
  });
});

describe('bitext P@1', () => {
  beforeAll(async () => {
    await selectNodeBackend('cpu');
  });

  it('is 1 when every translation is the sentence itself, and lower when they are shuffled', async () => {
    const model = await loadModel(diskSource(fixtureDir('tiny-bert')));
    const texts = ['how deep is the lake?', 'the lake is very deep and cold.', 'озеро очень глубокое.', '湖有多深？'];
    const same = texts.map((t, i) => ({ id: String(i), texts: { en: t, de: t } }));
    expect((await evaluateBitext(model.encoder, model.tokenizer, same, ['en', 'de'])).mean).toBe(1);
    const shuffled = texts.map((t, i) => ({ id: String(i), texts: { en: t, de: texts[(i + 1) % texts.length]! } }));
    expect((await evaluateBitext(model.encoder, model.tokenizer, shuffled, ['en', 'de'])).mean).toBe(0);
    model.encoder.dispose();
  });
});
