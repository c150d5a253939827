import { maxSequenceLength, parseConfig, type EncoderConfig } from './config';
import { Encoder, type Pooling } from './encoder';
import { ModelFormatError } from './errors';
import type { ModelSource } from './model-source';
import { parseSafetensors, serializeSafetensors, type StorageDtype } from './safetensors';
import { Tokenizer } from './tokenizer';
import { matchCheckpoint } from './weights';

export interface LoadProgress {
  file: string;
  loaded: number;
  total: number | null;
}

export interface LoadOptions {
  onProgress?: (p: LoadProgress) => void;
  /** Upper bound on tokens per text; the model's own limits apply too. */
  maxLength?: number;
}

export interface LoadedModel {
  name: string;
  source: string;
  config: EncoderConfig;
  encoder: Encoder;
  tokenizer: Tokenizer;
  /** Bytes of model.safetensors as stored, and the storage type of its first tensor. */
  weightBytes: number;
  storageDtype: StorageDtype;
  /** Files carried through unchanged on export. */
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
}

const ST_MODULES: Record<string, 'transformer' | 'pooling' | 'normalize'> = {
  'sentence_transformers.models.Transformer': 'transformer',
  'sentence_transformers.models.Pooling': 'pooling',
  'sentence_transformers.models.Normalize': 'normalize',
};

const decoder = new TextDecoder('utf-8');

async function readJson(source: ModelSource, file: string, required: boolean, options: LoadOptions): Promise<unknown> {
  const bytes = await source.read(file, (loaded, total) => options.onProgress?.({ file, loaded, total }));
  if (bytes === null) {
    if (required) throw new ModelFormatError(file, `missing from ${source.label}`);
    return undefined;
  }
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (e) {
    throw new ModelFormatError(file, `not valid JSON (${(e as Error).message})`);
  }
}

async function readPooling(source: ModelSource, options: LoadOptions): Promise<Pooling> {
  const modules = await readJson(source, 'modules.json', false, options);
  if (modules === undefined) return 'mean';
  if (!Array.isArray(modules)) throw new ModelFormatError('modules.json', 'must be a list of modules');
  let pooling: Pooling = 'mean';
  for (const m of modules as { type?: unknown; path?: unknown }[]) {
    const kind = typeof m?.type === 'string' ? ST_MODULES[m.type] : undefined;
    if (!kind) {
      throw new ModelFormatError('modules.json', `unsupported module ${JSON.stringify(m?.type)}: supported are Transformer, Pooling and Normalize`);
    }
    if (kind !== 'pooling') continue;
    const file = `${typeof m.path === 'string' && m.path ? m.path : '1_Pooling'}/config.json`;
    const cfg = (await readJson(source, file, true, options)) as Record<string, unknown>;
    if (typeof cfg !== 'object' || cfg === null) throw new ModelFormatError(file, 'must be a JSON object');
    const modes = Object.entries(cfg).filter(([k, v]) => k.startsWith('pooling_mode_') && v === true).map(([k]) => k);
    if (modes.length !== 1 || !['pooling_mode_mean_tokens', 'pooling_mode_cls_token'].includes(modes[0]!)) {
      throw new ModelFormatError(file, `unsupported pooling ${modes.join(' + ') || '(none)'}: supported are mean tokens or the CLS token`);
    }
    pooling = modes[0] === 'pooling_mode_cls_token' ? 'cls' : 'mean';
  }
  return pooling;
}

/**
 * Reads and checks a whole Hugging Face model folder before creating any tensor, so that a bad
 * folder fails with a message naming the file and the problem and leaves nothing half-loaded.
 */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<LoadedModel> {
  const config = parseConfig(await readJson(source, 'config.json', true, options));
  const tokenizerJson = await readJson(source, 'tokenizer.json', true, options);
  const tokenizerConfig = ((await readJson(source, 'tokenizer_config.json', false, options)) ?? {}) as Record<string, unknown>;
  if (typeof tokenizerConfig !== 'object' || tokenizerConfig === null || Array.isArray(tokenizerConfig)) {
    throw new ModelFormatError('tokenizer_config.json', 'must be a JSON object');
  }
  const pooling = await readPooling(source, options);

  const weightsFile = 'model.safetensors';
  const bytes = await source.read(weightsFile, (loaded, total) => options.onProgress?.({ file: weightsFile, loaded, total }));
  if (bytes === null) {
    const hasBin = (await source.read('pytorch_model.bin').catch(() => null)) !== null;
    throw new ModelFormatError(
      weightsFile,
      hasBin ? 'missing: only pytorch_model.bin is present; convert it to safetensors' : `missing from ${source.label}`,
    );
  }
  const parsed = parseSafetensors(bytes, weightsFile);
  const weights = matchCheckpoint(config, parsed.tensors, weightsFile);

  const modelMax = typeof tokenizerConfig.model_max_length === 'number' && tokenizerConfig.model_max_length < 1e6 ? tokenizerConfig.model_max_length : Infinity;
  const maxLength = Math.min(options.maxLength ?? 128, modelMax, maxSequenceLength(config));
  const tokenizer = Tokenizer.fromJSON(tokenizerJson, tokenizerConfig, config, maxLength);

  const encoder = new Encoder(config, weights, pooling);
  const name = typeof config.raw._name_or_path === 'string' && config.raw._name_or_path ? config.raw._name_or_path : source.label.replace(/\/+$/, '').split('/').pop() || source.label;
  return {
    name,
    source: source.label,
    config,
    encoder,
    tokenizer,
    weightBytes: bytes.byteLength,
    storageDtype: parsed.dtypes.get(weights[0]!.name) ?? 'F32',
    tokenizerJson,
    tokenizerConfig,
  };
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** The model as a Hugging Face folder (sentence-transformers files included), file name -> bytes. */
export async function exportModel(model: LoadedModel, options: { dtype?: 'F32' | 'F16'; name?: string } = {}): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const raw = { ...model.config.raw };
  if (options.name) raw._name_or_path = options.name;
  files.set('config.json', json(raw));
  files.set('tokenizer.json', json(model.tokenizerJson));
  files.set('tokenizer_config.json', json(model.tokenizerConfig));
  files.set('model.safetensors', serializeSafetensors(await model.encoder.namedTensors(), options.dtype ?? 'F32'));
  files.set(
    'modules.json',
    json([
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
    ]),
  );
  files.set(
    '1_Pooling/config.json',
    json({
      word_embedding_dimension: model.config.hiddenSize,
      pooling_mode_cls_token: model.encoder.pooling === 'cls',
      pooling_mode_mean_tokens: model.encoder.pooling === 'mean',
      pooling_mode_max_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false,
    }),
  );
  return files;
}
