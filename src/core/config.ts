import { ModelFormatError } from './errors';

export type ModelType = 'bert' | 'xlm-roberta';
export type HiddenAct = 'gelu' | 'gelu_new';

/** The subset of a Hugging Face BertModel / XLMRobertaModel config.json that the encoder uses. */
export interface EncoderConfig {
  modelType: ModelType;
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  hiddenAct: HiddenAct;
  padTokenId: number;
  /** The whole config.json as read, so that export writes back what it did not interpret. */
  raw: Record<string, unknown>;
}

const SUPPORTED_ARCHITECTURES = new Set([
  'BertModel',
  'BertForMaskedLM',
  'BertForPreTraining',
  'XLMRobertaModel',
  'XLMRobertaForMaskedLM',
  'RobertaModel',
]);

function positiveInt(raw: Record<string, unknown>, key: string, file: string, fallback?: number): number {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ModelFormatError(file, `"${key}" must be a positive integer, got ${JSON.stringify(raw[key])}`);
  }
  return value;
}

export function parseConfig(raw: unknown, file = 'config.json'): EncoderConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ModelFormatError(file, 'must be a JSON object');
  }
  const cfg = raw as Record<string, unknown>;
  const modelType = cfg.model_type;
  if (modelType !== 'bert' && modelType !== 'xlm-roberta' && modelType !== 'roberta') {
    throw new ModelFormatError(
      file,
      `unsupported model_type ${JSON.stringify(modelType)}: this encoder runs BERT-family models ("bert", "xlm-roberta")`,
    );
  }
  const archs = cfg.architectures;
  if (Array.isArray(archs)) {
    const unsupported = archs.filter((a) => typeof a !== 'string' || !SUPPORTED_ARCHITECTURES.has(a));
    if (unsupported.length > 0) {
      throw new ModelFormatError(
        file,
        `unsupported architecture ${JSON.stringify(unsupported[0])}; supported: ${[...SUPPORTED_ARCHITECTURES].join(', ')}`,
      );
    }
  }
  const act = cfg.hidden_act ?? 'gelu';
  if (act !== 'gelu' && act !== 'gelu_new') {
    throw new ModelFormatError(file, `unsupported hidden_act ${JSON.stringify(act)} (supported: "gelu", "gelu_new")`);
  }
  if (cfg.position_embedding_type !== undefined && cfg.position_embedding_type !== 'absolute') {
    throw new ModelFormatError(file, `unsupported position_embedding_type ${JSON.stringify(cfg.position_embedding_type)}`);
  }
  const hiddenSize = positiveInt(cfg, 'hidden_size', file);
  const numHeads = positiveInt(cfg, 'num_attention_heads', file);
  if (hiddenSize % numHeads !== 0) {
    throw new ModelFormatError(file, `hidden_size ${hiddenSize} is not divisible by num_attention_heads ${numHeads}`);
  }
  const eps = cfg.layer_norm_eps ?? 1e-12;
  if (typeof eps !== 'number' || !(eps > 0)) throw new ModelFormatError(file, '"layer_norm_eps" must be a positive number');
  const pad = cfg.pad_token_id ?? 0;
  if (typeof pad !== 'number' || !Number.isInteger(pad) || pad < 0) {
    throw new ModelFormatError(file, '"pad_token_id" must be a non-negative integer');
  }
  const config: EncoderConfig = {
    modelType: modelType === 'bert' ? 'bert' : 'xlm-roberta',
    vocabSize: positiveInt(cfg, 'vocab_size', file),
    hiddenSize,
    numLayers: positiveInt(cfg, 'num_hidden_layers', file),
    numHeads,
    intermediateSize: positiveInt(cfg, 'intermediate_size', file),
    maxPositions: positiveInt(cfg, 'max_position_embeddings', file),
    typeVocabSize: positiveInt(cfg, 'type_vocab_size', file, 2),
    layerNormEps: eps,
    hiddenAct: act,
    padTokenId: pad,
    raw: cfg,
  };
  if (pad >= config.vocabSize) throw new ModelFormatError(file, `pad_token_id ${pad} is outside the vocabulary (${config.vocabSize})`);
  return config;
}

/** Longest input the position embeddings allow: RoBERTa spends padding_idx + 1 positions before the first token. */
export function maxSequenceLength(config: EncoderConfig): number {
  return config.modelType === 'xlm-roberta' ? config.maxPositions - config.padTokenId - 1 : config.maxPositions;
}
