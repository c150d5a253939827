// Models and batches made from shapes alone, for the benchmark and the parity tests: seeded random
// BERT weights (src/core/init.ts) and random token batches, no files needed.
import { parseConfig, type EncoderConfig, type HiddenAct } from '../src/core/config';
import { Encoder, type TokenBatch } from '../src/core/encoder';
import { randomWeights } from '../src/core/init';
import { Rng } from '../src/core/rng';

export interface ModelShape {
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  vocab: number;
  act?: HiddenAct;
}

/** A model's shape from its Hugging Face config.json: the bench measures the bundled model's by default. */
export function shapeOf(config: Record<string, unknown>): ModelShape {
  const c = parseConfig(config);
  return { hidden: c.hiddenSize, layers: c.numLayers, heads: c.numHeads, intermediate: c.intermediateSize, vocab: c.vocabSize, act: c.hiddenAct };
}

export function syntheticConfig(s: ModelShape, maxPositions = 512): EncoderConfig {
  return parseConfig({
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: s.vocab,
    hidden_size: s.hidden,
    num_hidden_layers: s.layers,
    num_attention_heads: s.heads,
    intermediate_size: s.intermediate,
    hidden_act: s.act ?? 'gelu',
    max_position_embeddings: maxPositions,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    initializer_range: 0.02,
  });
}

export function syntheticEncoder(s: ModelShape, seed: number): Encoder {
  const config = syntheticConfig(s);
  return new Encoder(config, randomWeights(config, seed));
}

/**
 * A padded batch of random ids: each row's real length is drawn from [minLength, length], the rest
 * is padding, so masks matter. Row 0 is always full length.
 */
export function randomBatch(batchSize: number, length: number, vocab: number, rng: Rng, minLength = Math.max(1, Math.ceil(length / 2))): TokenBatch {
  const inputIds = new Int32Array(batchSize * length);
  const attentionMask = new Int32Array(batchSize * length);
  for (let b = 0; b < batchSize; b++) {
    const real = b === 0 ? length : minLength + rng.int(length - minLength + 1);
    for (let t = 0; t < real; t++) {
      inputIds[b * length + t] = 1 + rng.int(vocab - 1);
      attentionMask[b * length + t] = 1;
    }
  }
  return { batchSize, length, inputIds, attentionMask };
}
