// Fused kernels against their plain-op references on the same backend: outputs and every input
// gradient on fresh random inputs. Runs in the page (harness.ts); also importable from Node.
import * as tf from '@tensorflow/tfjs';
import type { HiddenAct } from '../../src/core/config';
import { biasGeluReference, fusedBiasGelu } from '../../src/core/kernels/bias-gelu';
import { attentionReference, fusedAttention } from '../../src/core/kernels/fused-attention';
import { fusedLayerNormResidual, layerNormResidualReference } from '../../src/core/kernels/layer-norm-residual';
import { fusedLinear, linearReference } from '../../src/core/kernels/linear';
import { registerFusedKernels } from '../../src/core/kernels/registry';
import { infoNceLoss } from '../../src/core/loss';
import { Rng } from '../../src/core/rng';
import { randomBatch, syntheticEncoder, type ModelShape } from '../../bench/synthetic';

export interface ParityCase {
  kernel: 'attention' | 'layerNorm' | 'biasGelu' | 'linear';
  batch: number;
  length: number;
  hidden: number;
  heads?: number;
  /** Real tokens per sequence (the rest is padding), attention only; defaults to all real. */
  lengths?: number[];
  act?: HiddenAct;
  /** Linear only: output features (input features are `hidden`), and whether there is a bias. */
  outFeatures?: number;
  bias?: boolean;
}

export interface ParityResult {
  name: string;
  /** Largest |fused - reference| over the output. */
  output: number;
  /** Largest |fused - reference| over each input's gradient, relative to max(1, max |reference|). */
  gradients: Record<string, number>;
  tensorsBefore: number;
  tensorsAfter: number;
}

function maxDiff(a: Float32Array, b: Float32Array, relative: boolean): number {
  let scale = 1;
  if (relative) for (const v of b) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m / scale;
}

type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

/** Output and gradients (of a random weighted sum of the output) for both implementations. */
async function compare(name: string, inputs: Record<string, tf.Tensor>, differentiable: string[], fused: Fn, reference: Fn): Promise<Omit<ParityResult, 'tensorsBefore' | 'tensorsAfter'>> {
  const names = Object.keys(inputs);
  const xs = names.map((n) => inputs[n]!);
  const wrt = differentiable.map((n) => names.indexOf(n));
  const run = (f: Fn) =>
    tf.tidy(() => {
      const out = f(...xs);
      const weights = tf.randomUniform(out.shape, -1, 1, 'float32', 7);
      const grads = tf.grads((...ys: tf.Tensor[]) => {
        const full = xs.map((x, i) => (wrt.includes(i) ? ys[wrt.indexOf(i)]! : x));
        return f(...full).mul(weights).sum();
      })(wrt.map((i) => xs[i]!));
      return [out, ...grads];
    });
  const got = run(fused);
  const want = run(reference);
  const gradients: Record<string, number> = {};
  const output = maxDiff((await got[0]!.data()) as Float32Array, (await want[0]!.data()) as Float32Array, false);
  for (let g = 0; g < differentiable.length; g++) {
    gradients[differentiable[g]!] = maxDiff((await got[g + 1]!.data()) as Float32Array, (await want[g + 1]!.data()) as Float32Array, true);
  }
  tf.dispose([...got, ...want]);
  return { name, output, gradients };
}

export async function runParity(c: ParityCase): Promise<ParityResult> {
  registerFusedKernels();
  const tensorsBefore = tf.memory().numTensors;
  const rows = c.batch * c.length;
  const seed = Math.floor(Math.random() * 2 ** 31);
  const inputs: Record<string, tf.Tensor> = {};
  const rand = (shape: number[], scale: number, offset = 0) => tf.tidy(() => tf.randomNormal(shape, offset, scale, 'float32', seed + Object.keys(inputs).length));
  let result: Omit<ParityResult, 'tensorsBefore' | 'tensorsAfter'>;
  const tag = `${c.kernel} b=${c.batch} t=${c.length} h=${c.hidden}`;
  if (c.kernel === 'attention') {
    const heads = c.heads ?? 1;
    const lengths = c.lengths ?? Array.from({ length: c.batch }, () => c.length);
    const mask = new Float32Array(rows);
    lengths.forEach((n, b) => mask.fill(1, b * c.length, b * c.length + n));
    inputs.q = rand([rows, c.hidden], 1);
    inputs.k = rand([rows, c.hidden], 1);
    inputs.v = rand([rows, c.hidden], 1);
    inputs.mask = tf.tensor2d(mask, [c.batch, c.length]);
    result = await compare(
      `${tag} heads=${heads} lengths=${lengths.join(',')}`,
      inputs,
      ['q', 'k', 'v'],
      (q, k, v, m) => fusedAttention(q as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, m as tf.Tensor2D, heads),
      (q, k, v, m) => attentionReference(q as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, m as tf.Tensor2D, heads),
    );
  } else if (c.kernel === 'layerNorm') {
    inputs.x = rand([rows, c.hidden], 1);
    inputs.residual = rand([rows, c.hidden], 1, 0.5);
    inputs.gamma = rand([c.hidden], 0.2, 1);
    inputs.beta = rand([c.hidden], 0.2);
    const eps = 1e-12;
    result = await compare(
      tag,
      inputs,
      ['x', 'residual', 'gamma', 'beta'],
      (x, r, g, b) => fusedLayerNormResidual(x as tf.Tensor2D, r as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, eps),
      (x, r, g, b) => layerNormResidualReference(x as tf.Tensor2D, r as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, eps),
    );
  } else if (c.kernel === 'linear') {
    const out = c.outFeatures ?? c.hidden;
    inputs.x = rand([rows, c.hidden], 1);
    inputs.weight = rand([out, c.hidden], 0.2);
    if (c.bias !== false) inputs.bias = rand([out], 0.5);
    const withBias = c.bias !== false;
    result = await compare(
      `${tag} out=${out}${withBias ? '' : ' no bias'}`,
      inputs,
      withBias ? ['x', 'weight', 'bias'] : ['x', 'weight'],
      (x, w, b) => fusedLinear(x as tf.Tensor2D, w as tf.Tensor2D, withBias ? (b as tf.Tensor1D) : null),
      (x, w, b) => linearReference(x as tf.Tensor2D, w as tf.Tensor2D, withBias ? (b as tf.Tensor1D) : null),
    );
  } else {
    const act = c.act ?? 'gelu';
    inputs.x = rand([rows, c.hidden], 2);
    inputs.bias = rand([c.hidden], 0.5);
    result = await compare(
      `${tag} ${act}`,
      inputs,
      ['x', 'bias'],
      (x, b) => fusedBiasGelu(x as tf.Tensor2D, b as tf.Tensor1D, act),
      (x, b) => biasGeluReference(x as tf.Tensor2D, b as tf.Tensor1D, act),
    );
  }
  tf.dispose(Object.values(inputs));
  return { ...result, tensorsBefore, tensorsAfter: tf.memory().numTensors };
}

export interface EncoderParityResult {
  name: string;
  embeddings: number;
  loss: number;
  /** Largest relative gradient difference over all parameters, and where. */
  gradient: number;
  worstParameter: string;
  tensorsBefore: number;
  tensorsAfter: number;
}

/**
 * The whole encoder with and without the fused kernels on the current backend: pooled embeddings,
 * a loss (InfoNCE between the two halves of the batch; a random projection of the embeddings for a
 * single sequence), and the gradient of every parameter, on a random padded batch.
 */
export async function runEncoderParity(shape: ModelShape, batchSize: number, length: number): Promise<EncoderParityResult> {
  const tensorsBefore = tf.memory().numTensors;
  const seed = Math.floor(Math.random() * 2 ** 31);
  const encoder = syntheticEncoder(shape, seed);
  const batch = randomBatch(batchSize, length, shape.vocab, new Rng(seed), 1);
  const projection = tf.randomNormal([batchSize, shape.hidden], 0, 1, 'float32', seed);
  const half = Math.floor(batchSize / 2);
  const loss = (e: tf.Tensor2D): tf.Scalar =>
    half >= 2 ? infoNceLoss(e.slice([0, 0], [half, -1]), e.slice([half, 0], [half, -1]), 0.05) : e.mul(projection).sum();
  const run = async (fused: boolean) => {
    encoder.fused = fused;
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => loss(encoder.forward(batch).embeddings)), encoder.trainableVariables());
    const embeddings = tf.tidy(() => encoder.forward(batch).embeddings);
    const out = {
      embeddings: (await embeddings.data()) as Float32Array,
      loss: (await value.data())[0]!,
      grads: new Map<string, Float32Array>(),
    };
    for (const [name, v] of encoder.params) out.grads.set(name, (await grads[v.name]!.data()) as Float32Array);
    tf.dispose([value, embeddings, ...Object.values(grads)]);
    return out;
  };
  const fused = await run(true);
  const plain = await run(false);
  let gradient = 0;
  let worstParameter = '';
  for (const [name, g] of plain.grads) {
    const d = maxDiff(fused.grads.get(name)!, g, true);
    if (d >= gradient) [gradient, worstParameter] = [d, name];
  }
  encoder.dispose();
  projection.dispose();
  return {
    name: `encoder hidden=${shape.hidden} layers=${shape.layers} heads=${shape.heads} act=${shape.act ?? 'gelu'} batch=${batchSize} t=${length}`,
    embeddings: maxDiff(fused.embeddings, plain.embeddings, false),
    loss: Math.abs(fused.loss - plain.loss),
    gradient,
    worstParameter,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
  };
}
