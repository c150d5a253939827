import { Rng } from '../rng';
import type { ParallelCorpus, Split } from './corpus';
import type { Batch } from './samplers';

/** One passage sentence in every language. */
export interface ParallelSentence {
  id: string;
  texts: Record<string, string>;
}

/** The passage sentences of a split (never its questions), aligned across the corpus's languages. */
export function parallelSentences(corpus: ParallelCorpus, split: Split): ParallelSentence[] {
  const out: ParallelSentence[] = [];
  const first = corpus.passages[corpus.languages[0]!]!;
  first.forEach((p, i) => {
    if (p.split !== split) return;
    p.sentences.forEach((_, k) => {
      out.push({ id: `${p.id}#${k}`, texts: Object.fromEntries(corpus.languages.map((l) => [l, corpus.passages[l]![i]!.sentences[k]!])) });
    });
  });
  return out;
}

export interface BitextState {
  rng: number;
  order: number[];
  cursor: number;
}

/**
 * Translation-ranking batches for pretraining: each batch draws two different languages and pairs
 * B distinct sentences with their translations; the other translations in the batch are the negatives.
 */
export class BitextSampler {
  private rng: Rng;
  private order: number[];
  private cursor: number;

  constructor(
    private readonly sentences: ParallelSentence[],
    readonly config: { batchSize: number; seed: number; languages: string[] },
    state?: unknown,
  ) {
    if (config.languages.length < 2) throw new Error('bitext batches need two languages');
    if (config.batchSize < 2 || config.batchSize > sentences.length) throw new Error(`batch size must be between 2 and ${sentences.length}`);
    const s = state as BitextState | undefined;
    this.rng = new Rng(s?.rng ?? config.seed);
    this.order = s ? [...s.order] : this.rng.shuffle(sentences.map((_, i) => i));
    this.cursor = s?.cursor ?? 0;
  }

  state(): BitextState {
    return { rng: this.rng.state, order: [...this.order], cursor: this.cursor };
  }

  next(): Batch {
    const langs = this.config.languages;
    const a = this.rng.int(langs.length);
    let b = this.rng.int(langs.length - 1);
    if (b >= a) b++;
    const [la, lb] = [langs[a]!, langs[b]!];
    const seenA = new Set<string>();
    const seenB = new Set<string>();
    const pairs: Batch['pairs'] = [];
    let scanned = 0;
    while (pairs.length < this.config.batchSize) {
      if (this.cursor >= this.order.length) {
        this.order = this.rng.shuffle(this.sentences.map((_, i) => i));
        this.cursor = 0;
      }
      const s = this.sentences[this.order[this.cursor++]!]!;
      const ta = s.texts[la]!;
      const tb = s.texts[lb]!;
      // Identical texts (a number, a name) would be each other's false negatives.
      if (seenA.has(ta) || seenB.has(tb)) {
        if (++scanned > this.sentences.length) throw new Error('cannot fill a batch with distinct sentences');
        continue;
      }
      seenA.add(ta);
      seenB.add(tb);
      pairs.push({ query: ta, passage: tb, questionId: s.id, answerKey: s.id });
    }
    return { kind: 'cross', queryLang: la, passageLang: lb, pairs };
  }
}

export interface MixedState {
  rng: number;
  parts: unknown[];
}

/**
 * Batches drawn from several samplers, each batch from one of them chosen by weight: sources of very
 * different lengths (short names, whole sentences) are not padded to each other.
 */
export class MixedSampler {
  private rng: Rng;

  constructor(
    private readonly parts: { sampler: { next(): Batch; state(): unknown }; weight: number }[],
    seed: number,
    state?: unknown,
  ) {
    if (parts.length === 0 || parts.some((p) => !(p.weight > 0))) throw new Error('mixed sampler needs parts with positive weights');
    this.rng = new Rng((state as MixedState | undefined)?.rng ?? seed);
  }

  state(): MixedState {
    return { rng: this.rng.state, parts: this.parts.map((p) => p.sampler.state()) };
  }

  next(): Batch {
    const total = this.parts.reduce((a, p) => a + p.weight, 0);
    let r = this.rng.next() * total;
    for (const p of this.parts) {
      r -= p.weight;
      if (r < 0) return p.sampler.next();
    }
    return this.parts[this.parts.length - 1]!.sampler.next();
  }
}
