/**
 * The multilingual search pool: passages (the test split's, plus the user's) split into sentences,
 * with one embedding matrix per model. A passage scores as its best-matching sentence.
 */
export interface PoolPassage {
  id: string;
  lang: string;
  title: string;
  sentences: string[];
  origin: 'corpus' | 'user';
}

export interface PoolHit {
  id: string;
  lang: string;
  title: string;
  origin: PoolPassage['origin'];
  score: number;
  /** The sentence that scored best, and its position in the passage. */
  sentence: string;
  sentenceIndex: number;
}

export class SearchPool {
  readonly passages: PoolPassage[] = [];
  /** Per sentence: its passage's index in `passages` and its index within the passage. */
  private owner: number[] = [];
  private within: number[] = [];
  readonly sentences: string[] = [];
  /** model key -> row-major [sentences, dim]; rows may lag behind `sentences` while indexing. */
  private vectors = new Map<string, { data: Float32Array; rows: number; dim: number }>();

  add(passages: PoolPassage[]): { from: number; texts: string[] } {
    const from = this.sentences.length;
    for (const p of passages) {
      const index = this.passages.length;
      this.passages.push(p);
      p.sentences.forEach((s, k) => {
        this.owner.push(index);
        this.within.push(k);
        this.sentences.push(s);
      });
    }
    return { from, texts: this.sentences.slice(from) };
  }

  /** Appends embeddings for sentences [rows, rows + n) of a model; a new model starts empty. */
  setVectors(model: string, from: number, data: Float32Array, dim: number): void {
    const current = this.vectors.get(model);
    const rows = from + data.length / dim;
    const next = new Float32Array(rows * dim);
    if (current && current.dim === dim) next.set(current.data.subarray(0, Math.min(current.rows, from) * dim));
    next.set(data, from * dim);
    this.vectors.set(model, { data: next, rows, dim });
  }

  forget(model: string): void {
    this.vectors.delete(model);
  }

  /** Sentences that model still has to embed, from the first one it lacks. */
  missing(model: string): { from: number; texts: string[] } {
    const rows = this.vectors.get(model)?.rows ?? 0;
    return { from: rows, texts: this.sentences.slice(rows) };
  }

  indexed(model: string): number {
    return this.vectors.get(model)?.rows ?? 0;
  }

  /** The k best passages for a query vector, each with its best sentence. */
  search(model: string, query: Float32Array, k: number): PoolHit[] {
    const v = this.vectors.get(model);
    if (!v) return [];
    const best = new Float32Array(this.passages.length).fill(-Infinity);
    const bestSentence = new Int32Array(this.passages.length).fill(-1);
    for (let row = 0; row < v.rows; row++) {
      let s = 0;
      const base = row * v.dim;
      for (let d = 0; d < v.dim; d++) s += query[d]! * v.data[base + d]!;
      const p = this.owner[row]!;
      if (s > best[p]!) {
        best[p] = s;
        bestSentence[p] = row;
      }
    }
    const order = Array.from(best.keys()).filter((i) => bestSentence[i]! >= 0);
    // Equal scores keep pool order, so results are deterministic.
    order.sort((a, b) => best[b]! - best[a]! || a - b);
    return order.slice(0, k).map((i) => {
      const p = this.passages[i]!;
      const row = bestSentence[i]!;
      return { id: p.id, lang: p.lang, title: p.title, origin: p.origin, score: best[i]!, sentence: this.sentences[row]!, sentenceIndex: this.within[row]! };
    });
  }

  counts(): { passages: number; sentences: number; user: number; languages: string[] } {
    return {
      passages: this.passages.length,
      sentences: this.sentences.length,
      user: this.passages.filter((p) => p.origin === 'user').length,
      languages: [...new Set(this.passages.filter((p) => p.origin === 'corpus').map((p) => p.lang))],
    };
  }
}
