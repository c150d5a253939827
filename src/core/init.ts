import type { EncoderConfig } from './config';
import { Rng } from './rng';
import type { NamedTensor } from './safetensors';
import { expectedShapes, optionalShapes } from './weights';

/**
 * BERT's initialisation, seeded: weights and embeddings from N(0, initializer_range), LayerNorm scales
 * at 1, biases at 0. Returns every tensor a checkpoint holds, pooler included.
 */
export function randomWeights(config: EncoderConfig, seed: number, std = Number(config.raw.initializer_range ?? 0.02)): NamedTensor[] {
  const rng = new Rng(seed);
  // Box-Muller on the seeded uniform generator.
  const normal = () => Math.sqrt(-2 * Math.log(rng.next() + 1e-12)) * Math.cos(2 * Math.PI * rng.next());
  const tensors: NamedTensor[] = [];
  for (const [name, shape] of [...expectedShapes(config), ...optionalShapes(config)]) {
    const size = shape.reduce((x, y) => x * y, 1);
    const data = new Float32Array(size);
    if (name.endsWith('LayerNorm.weight')) data.fill(1);
    else if (!name.endsWith('.bias')) for (let i = 0; i < size; i++) data[i] = normal() * std;
    tensors.push({ name, shape, data });
  }
  return tensors;
}
