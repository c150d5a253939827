import type { EncoderConfig } from './config';
import { ModelFormatError } from './errors';
import type { NamedTensor } from './safetensors';

/** Hugging Face names and shapes of every tensor the encoder needs, in checkpoint order. */
export function expectedShapes(config: EncoderConfig): Map<string, number[]> {
  const h = config.hiddenSize;
  const shapes = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [config.vocabSize, h]],
    ['embeddings.position_embeddings.weight', [config.maxPositions, h]],
    ['embeddings.token_type_embeddings.weight', [config.typeVocabSize, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ]);
  for (let i = 0; i < config.numLayers; i++) {
    const p = `encoder.layer.${i}.`;
    for (const name of ['query', 'key', 'value']) {
      shapes.set(`${p}attention.self.${name}.weight`, [h, h]);
      shapes.set(`${p}attention.self.${name}.bias`, [h]);
    }
    shapes.set(`${p}attention.output.dense.weight`, [h, h]);
    shapes.set(`${p}attention.output.dense.bias`, [h]);
    shapes.set(`${p}attention.output.LayerNorm.weight`, [h]);
    shapes.set(`${p}attention.output.LayerNorm.bias`, [h]);
    shapes.set(`${p}intermediate.dense.weight`, [config.intermediateSize, h]);
    shapes.set(`${p}intermediate.dense.bias`, [config.intermediateSize]);
    shapes.set(`${p}output.dense.weight`, [h, config.intermediateSize]);
    shapes.set(`${p}output.dense.bias`, [h]);
    shapes.set(`${p}output.LayerNorm.weight`, [h]);
    shapes.set(`${p}output.LayerNorm.bias`, [h]);
  }
  return shapes;
}

/** Tensors a BertModel checkpoint may carry that the sentence encoder keeps but does not use. */
export function optionalShapes(config: EncoderConfig): Map<string, number[]> {
  const h = config.hiddenSize;
  return new Map([
    ['pooler.dense.weight', [h, h]],
    ['pooler.dense.bias', [h]],
  ]);
}

const MODEL_PREFIXES = ['bert.', 'roberta.', 'model.'];
// Heads of the *ForMaskedLM / *ForPreTraining checkpoints: dropped when those architectures are declared.
const HEAD_PREFIXES = ['cls.', 'lm_head.'];
const BUFFERS = new Set(['embeddings.position_ids']);

/**
 * Maps a checkpoint's tensors to the encoder's names, and fails (naming the tensor) on anything missing,
 * unexpected or of the wrong shape. Returns the tensors to load, required ones first.
 */
export function matchCheckpoint(config: EncoderConfig, tensors: Map<string, NamedTensor>, file: string): NamedTensor[] {
  const required = expectedShapes(config);
  const optional = optionalShapes(config);
  const archs = Array.isArray(config.raw.architectures) ? (config.raw.architectures as string[]) : [];
  const headsAllowed = archs.some((a) => /For(MaskedLM|PreTraining)$/.test(a));
  const byName = new Map<string, NamedTensor>();
  for (const [rawName, tensor] of tensors) {
    const prefix = MODEL_PREFIXES.find((p) => rawName.startsWith(p));
    const name = prefix ? rawName.slice(prefix.length) : rawName;
    if (BUFFERS.has(name)) continue;
    if (HEAD_PREFIXES.some((p) => name.startsWith(p))) {
      if (headsAllowed) continue;
      throw new ModelFormatError(file, `unexpected tensor "${rawName}": a task head, but config.json declares ${archs.join(', ') || 'no architecture'}`);
    }
    if (!required.has(name) && !optional.has(name)) throw new ModelFormatError(file, `unexpected tensor "${rawName}" (not part of a ${config.modelType} encoder with this config)`);
    if (byName.has(name)) throw new ModelFormatError(file, `tensor "${name}" appears twice`);
    byName.set(name, { ...tensor, name });
  }
  const out: NamedTensor[] = [];
  for (const [name, shape] of [...required, ...optional]) {
    const tensor = byName.get(name);
    if (!tensor) {
      if (required.has(name)) throw new ModelFormatError(file, `missing tensor "${name}"`);
      continue;
    }
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFormatError(file, `tensor "${name}" has shape [${tensor.shape.join(', ')}], config.json implies [${shape.join(', ')}]`);
    }
    out.push(tensor);
  }
  const pooler = out.filter((t) => t.name.startsWith('pooler.')).length;
  if (pooler === 1) throw new ModelFormatError(file, 'pooler.dense has a weight or a bias but not both');
  return out;
}

export function parameterCount(config: EncoderConfig): number {
  let n = 0;
  for (const shape of expectedShapes(config).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}
