import { Rng } from '../rng';
import type { QuestionGroup } from './corpus';

/**
 * Batch strategies of the hybrid-batch method (arXiv 2408.10536):
 * - mono: one language L per batch; every pair is (question in L, answer sentence in L);
 * - cross: two different languages per batch; every pair is (question in Lq, answer sentence in Lp);
 * - hybrid: each batch is mono with probability alpha, cross otherwise.
 */
export type Strategy = 'mono' | 'cross' | 'hybrid';
export const STRATEGIES: Strategy[] = ['mono', 'cross', 'hybrid'];

export interface SamplerConfig {
  strategy: Strategy;
  /** Probability of a monolingual batch under 'hybrid'. */
  alpha: number;
  batchSize: number;
  seed: number;
  languages: string[];
}

export interface TrainingPair {
  query: string;
  passage: string;
  questionId: string;
  /** The answer sentence's identity, shared by its parallel copies: passageId#sentenceIndex. */
  answerKey: string;
}

export interface Batch {
  kind: 'mono' | 'cross';
  queryLang: string;
  passageLang: string;
  pairs: TrainingPair[];
}

/** Everything needed to resume the exact same sequence of batches. */
export interface SamplerState {
  rng: number;
  epoch: number;
  order: number[];
  cursor: number;
}

/**
 * Draws batches over the train split's question groups, seeded and resumable. A batch never holds the
 * same question group twice, nor two pairs with the same answer sentence: with in-batch negatives, a
 * copy of one pair's positive would otherwise be scored as another pair's negative.
 */
export class BatchSampler {
  private rng: Rng;
  private epoch: number;
  private order: number[];
  private cursor: number;

  constructor(
    private readonly groups: QuestionGroup[],
    readonly config: SamplerConfig,
    state?: SamplerState,
  ) {
    if (config.languages.length < (config.strategy === 'mono' ? 1 : 2)) {
      throw new Error(`the ${config.strategy} strategy needs ${config.strategy === 'mono' ? 'a language' : 'two languages'}`);
    }
    if (!(config.alpha >= 0 && config.alpha <= 1)) throw new Error(`alpha must be in [0, 1], got ${config.alpha}`);
    const distinctAnswers = new Set(groups.map(answerKey)).size;
    if (config.batchSize < 2 || config.batchSize > distinctAnswers) {
      throw new Error(`batch size must be between 2 and ${distinctAnswers} (distinct answer sentences in the data), got ${config.batchSize}`);
    }
    if (state) {
      this.rng = new Rng(state.rng);
      this.epoch = state.epoch;
      this.order = [...state.order];
      this.cursor = state.cursor;
    } else {
      this.rng = new Rng(config.seed);
      this.epoch = 0;
      this.order = this.rng.shuffle(groups.map((_, i) => i));
      this.cursor = 0;
    }
  }

  state(): SamplerState {
    return { rng: this.rng.state, epoch: this.epoch, order: [...this.order], cursor: this.cursor };
  }

  private languagesFor(): { kind: 'mono' | 'cross'; queryLang: string; passageLang: string } {
    const langs = this.config.languages;
    const mono = this.config.strategy === 'mono' || (this.config.strategy === 'hybrid' && this.rng.next() < this.config.alpha);
    if (mono) {
      const l = langs[this.rng.int(langs.length)]!;
      return { kind: 'mono', queryLang: l, passageLang: l };
    }
    const q = this.rng.int(langs.length);
    let p = this.rng.int(langs.length - 1);
    if (p >= q) p++;
    return { kind: 'cross', queryLang: langs[q]!, passageLang: langs[p]! };
  }

  next(): Batch {
    const { kind, queryLang, passageLang } = this.languagesFor();
    const usedQuestions = new Set<string>();
    const usedAnswers = new Set<string>();
    const picked: QuestionGroup[] = [];
    // Walk the epoch's order; a conflicting group is swapped further down the order (only the very
    // last group of an epoch, with nothing left to swap with, waits for the next epoch).
    let scanned = 0;
    while (picked.length < this.config.batchSize) {
      if (this.cursor >= this.order.length) {
        this.epoch++;
        this.order = this.rng.shuffle(this.groups.map((_, i) => i));
        this.cursor = 0;
      }
      const g = this.groups[this.order[this.cursor]!]!;
      if (usedQuestions.has(g.questionId) || usedAnswers.has(answerKey(g))) {
        if (++scanned > this.groups.length * 4) throw new Error('cannot fill a batch without repeating an answer sentence');
        const rest = this.order.length - this.cursor - 1;
        if (rest > 0) {
          const swapWith = this.cursor + 1 + this.rng.int(rest);
          [this.order[this.cursor], this.order[swapWith]] = [this.order[swapWith]!, this.order[this.cursor]!];
        } else {
          this.cursor++;
        }
        continue;
      }
      usedQuestions.add(g.questionId);
      usedAnswers.add(answerKey(g));
      picked.push(g);
      this.cursor++;
    }
    return {
      kind,
      queryLang,
      passageLang,
      pairs: picked.map((g) => ({ query: g.questions[queryLang]!, passage: g.answers[passageLang]!, questionId: g.questionId, answerKey: answerKey(g) })),
    };
  }
}

function answerKey(g: QuestionGroup): string {
  return `${g.passageId}#${g.answer}`;
}
