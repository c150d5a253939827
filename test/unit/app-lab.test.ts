// The worker's helpers that need no model: the 2-D projection, the search pool, and the parsing and
// limits of user passages.
import { describe, expect, it } from 'vitest';
import { pca2d } from '../../src/app/lab/projection';
import { SearchPool } from '../../src/app/lab/search-pool';
import { InputRefused, languageByScript, MAX_SENTENCES_PER_ADDITION, parseUserPassages } from '../../src/app/lab/user-passages';

describe('pca2d', () => {
  it('finds the directions of largest spread, and keeps their orientation between calls', () => {
    // Points spread mostly along (1, 1, 0), a little along (0, 0, 1).
    const rows = [-3, -1, 1, 3].flatMap((t) => [-0.5, 0.5].map((u) => [t, t, u]));
    const vectors = Float32Array.from(rows.flat());
    const first = pca2d(vectors, rows.length, 3);
    const c = first.components[0];
    expect(Math.abs(c[0]!)).toBeCloseTo(Math.SQRT1_2, 4);
    expect(Math.abs(c[1]!)).toBeCloseTo(Math.SQRT1_2, 4);
    expect(Math.abs(first.components[1][2]!)).toBeCloseTo(1, 4);
    const spreadX = Math.max(...first.xs) - Math.min(...first.xs);
    const spreadY = Math.max(...first.ys) - Math.min(...first.ys);
    expect(spreadX).toBeGreaterThan(spreadY);
    const flipped: [Float32Array, Float32Array] = [first.components[0].map((x) => -x), first.components[1].map((x) => -x)];
    const again = pca2d(vectors, rows.length, 3, flipped);
    expect(again.components[0][0]).toBeCloseTo(flipped[0][0]!, 4);
    expect(again.xs[0]).toBeCloseTo(-first.xs[0]!, 4);
  });
});

describe('SearchPool', () => {
  it('scores a passage by its best sentence, and searches only what a model has indexed', () => {
    const pool = new SearchPool();
    pool.add([
      { id: 'a', lang: 'en', title: 'A', sentences: ['a0', 'a1'], origin: 'corpus' },
      { id: 'b', lang: 'de', title: 'B', sentences: ['b0'], origin: 'user' },
    ]);
    expect(pool.missing('base')).toEqual({ from: 0, texts: ['a0', 'a1', 'b0'] });
    // 2-d unit vectors: a0 = x, a1 = y, b0 = (x + y) / sqrt 2.
    pool.setVectors('base', 0, Float32Array.from([1, 0, 0, 1]), 2);
    expect(pool.missing('base')).toEqual({ from: 2, texts: ['b0'] });
    expect(pool.search('base', Float32Array.from([0, 1]), 5).map((h) => h.id)).toEqual(['a']);
    pool.setVectors('base', 2, Float32Array.from([Math.SQRT1_2, Math.SQRT1_2]), 2);
    const hits = pool.search('base', Float32Array.from([0, 1]), 5);
    expect(hits.map((h) => [h.id, h.sentence, h.sentenceIndex])).toEqual([
      ['a', 'a1', 1],
      ['b', 'b0', 0],
    ]);
    expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(pool.search('tuned', Float32Array.from([0, 1]), 5)).toEqual([]);
  });
});

describe('user passages', () => {
  it('reads plain text by paragraphs, JSON lists and JSONL, with languages from fields or scripts', () => {
    const text = parseUserPassages('Первое предложение. Второе предложение.\n\n猫每天睡十几个小时。\n\nPlain Latin text.', null, 'auto', 'u1');
    expect(text.map((p) => [p.lang, p.sentences.length])).toEqual([
      ['ru', 2],
      ['zh', 1],
      ['und', 1],
    ]);
    const json = parseUserPassages('{"passages": [{"text": "Hallo Welt.", "lang": "de", "title": "T", "id": 7}, "Bonjour."]}', 'x.json', 'auto', 'u2');
    expect(json.map((p) => [p.id, p.lang, p.title])).toEqual([
      ['u2-7', 'de', 'T'],
      ['u2-2', 'und', 'Bonjour.'],
    ]);
    const jsonl = parseUserPassages('{"text": "こんにちは、世界。"}\n\n"Hola."\n', 'x.jsonl', 'es', 'u3');
    expect(jsonl.map((p) => p.lang)).toEqual(['es', 'es']);
    expect(languageByScript('日本語のテキストです')).toBe('ja');
  });

  it('refuses malformed or oversized input with a message that says what and where', () => {
    expect(() => parseUserPassages('{"a": 1}\n{oops', 'bad.jsonl', 'auto', 'u')).toThrow(/bad\.jsonl, line 1: an object needs a "text"/);
    expect(() => parseUserPassages('[1, 2', 'bad.json', 'auto', 'u')).toThrow(/bad\.json: not valid JSON/);
    expect(() => parseUserPassages('   \n\n  ', null, 'auto', 'u')).toThrow(/has no passages/);
    const many = Array.from({ length: MAX_SENTENCES_PER_ADDITION + 1 }, (_, i) => `Passage ${i}.`).join('\n\n');
    expect(() => parseUserPassages(many, null, 'en', 'u')).toThrow(InputRefused);
    expect(() => parseUserPassages(many, null, 'en', 'u')).toThrow(/50,001 passages, more than the 50,000 sentences/);
  });
});
