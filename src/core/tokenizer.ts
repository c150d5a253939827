import { AutoTokenizer, env, PreTrainedTokenizer } from '@xenova/transformers';
import type { EncoderConfig } from './config';
import type { TokenBatch } from './encoder';
import { ModelFormatError } from './errors';

// Tokenizers are built from local JSON only; nothing is ever fetched from a hub behind the user's back.
env.allowRemoteModels = false;

type TokenizerClass = new (json: unknown, config: unknown) => PreTrainedTokenizer;

export interface EncodedBatch extends TokenBatch {
  /** How many inputs were cut to fit the maximum length. */
  truncated: number;
}

/** A Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) run by @xenova/transformers' classes. */
export class Tokenizer {
  readonly padId: number;
  readonly vocabSize: number;

  private constructor(
    private readonly inner: PreTrainedTokenizer,
    readonly maxLength: number,
    padFallback: number,
  ) {
    const padId = (inner as unknown as { pad_token_id?: number }).pad_token_id;
    this.padId = typeof padId === 'number' ? padId : padFallback;
    const model = (inner as unknown as { model: { vocab: unknown[] | Record<string, number>; tokens_to_ids: Map<string, number> } }).model;
    let maxId = -1;
    for (const id of model.tokens_to_ids.values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
  }

  /**
   * Builds the tokenizer and checks it against the model: every id it can produce must exist in the
   * embedding table. `maxLength` is the most tokens (special ones included) a text may take.
   */
  static fromJSON(
    tokenizerJson: unknown,
    tokenizerConfig: Record<string, unknown>,
    model: EncoderConfig,
    maxLength: number,
    file = 'tokenizer.json',
  ): Tokenizer {
    if (typeof tokenizerJson !== 'object' || tokenizerJson === null || !('model' in tokenizerJson)) {
      throw new ModelFormatError(file, 'not a Hugging Face tokenizer.json (no "model" section)');
    }
    const requested = typeof tokenizerConfig.tokenizer_class === 'string' ? tokenizerConfig.tokenizer_class.replace(/Fast$/, '') : 'PreTrainedTokenizer';
    const classes = AutoTokenizer.TOKENIZER_CLASS_MAPPING as unknown as Record<string, TokenizerClass>;
    const cls = classes[requested] ?? classes.PreTrainedTokenizer!;
    let inner: PreTrainedTokenizer;
    try {
      inner = new cls(tokenizerJson, tokenizerConfig);
    } catch (e) {
      throw new ModelFormatError(file, `cannot build the tokenizer: ${(e as Error).message}`);
    }
    const tokenizer = new Tokenizer(inner, maxLength, model.padTokenId);
    if (tokenizer.vocabSize > model.vocabSize) {
      throw new ModelFormatError(
        file,
        `the tokenizer has ${tokenizer.vocabSize} token ids but the model's vocab_size is ${model.vocabSize}: they do not belong together`,
      );
    }
    if (maxLength < 3) throw new ModelFormatError(file, `maximum length ${maxLength} leaves no room for text`);
    return tokenizer;
  }

  /** Token ids of one text with its special tokens, cut to maxLength keeping the closing special token. */
  encodeOne(text: string): { ids: number[]; truncated: boolean } {
    const ids = this.inner.encode(text) as number[];
    if (ids.length <= this.maxLength) return { ids, truncated: false };
    const last = ids[ids.length - 1]!;
    return { ids: [...ids.slice(0, this.maxLength - 1), last], truncated: true };
  }

  /** A right-padded batch; the length is that of the longest text in it. */
  encodeBatch(texts: string[]): EncodedBatch {
    return this.pad(texts.map((t) => this.encodeOne(t)));
  }

  /** Pads already-encoded rows (from encodeOne) into a batch, so that callers can sort by length first. */
  pad(rows: { ids: number[]; truncated: boolean }[]): EncodedBatch {
    const length = Math.max(1, ...rows.map((r) => r.ids.length));
    const inputIds = new Int32Array(rows.length * length).fill(this.padId);
    const attentionMask = new Int32Array(rows.length * length);
    rows.forEach((r, b) => {
      inputIds.set(r.ids, b * length);
      attentionMask.fill(1, b * length, b * length + r.ids.length);
    });
    return { batchSize: rows.length, length, inputIds, attentionMask, truncated: rows.filter((r) => r.truncated).length };
  }
}
