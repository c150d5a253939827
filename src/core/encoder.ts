import * as tf from '@tensorflow/tfjs';
import type { EncoderConfig } from './config';
import { fusedBiasGelu } from './kernels/bias-gelu';
import { fusedAttention } from './kernels/fused-attention';
import { fusedLayerNormResidual } from './kernels/layer-norm-residual';
import { fusedLinear } from './kernels/linear';
import { fusedKernelsActive } from './kernels/registry';
import { embeddingLookup } from './ops/embedding-lookup';
import { linear } from './ops/linear';
import type { NamedTensor } from './safetensors';
import { expectedShapes } from './weights';

export type Pooling = 'mean' | 'cls';

// Variable names must be unique per tfjs engine; several encoders (base and fine-tuned) coexist.
let nextId = 0;

/** A padded batch of token ids, row-major [batch, length]. */
export interface TokenBatch {
  batchSize: number;
  length: number;
  inputIds: Int32Array;
  /** 1 for a real token, 0 for padding. */
  attentionMask: Int32Array;
}

// A type alias, not an interface, so that tf.tidy accepts it as a TensorContainer.
export type ForwardOutput = {
  /** Output of the embedding block (after its LayerNorm), [batch, length, hidden]. */
  embeddingOutput: tf.Tensor3D;
  lastHiddenState: tf.Tensor3D;
  /** Pooled and L2-normalised sentence embeddings, [batch, hidden]. */
  embeddings: tf.Tensor2D;
};

/** Position ids as Hugging Face computes them: 0.. for BERT; padding_idx + 1.. for RoBERTa, pads at padding_idx. */
export function positionIds(config: EncoderConfig, batch: TokenBatch): Int32Array {
  const out = new Int32Array(batch.batchSize * batch.length);
  for (let b = 0; b < batch.batchSize; b++) {
    let seen = 0;
    for (let t = 0; t < batch.length; t++) {
      const i = b * batch.length + t;
      if (config.modelType === 'xlm-roberta') {
        if (batch.attentionMask[i]) seen++;
        out[i] = batch.attentionMask[i] ? config.padTokenId + seen : config.padTokenId;
      } else {
        out[i] = t;
      }
    }
  }
  return out;
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).mul(tf.rsqrt(variance.add(eps))).mul(gamma).add(beta);
}

function gelu(x: tf.Tensor, kind: EncoderConfig['hiddenAct']): tf.Tensor {
  if (kind === 'gelu_new') {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(tf.tanh(inner).add(1));
  }
  return x.mul(0.5).mul(tf.erf(x.mul(Math.SQRT1_2)).add(1));
}

/**
 * A BERT-family sentence encoder on tfjs ops: embeddings, post-LayerNorm transformer layers, pooling
 * and L2 normalisation. Parameters are tf.Variables keyed by their Hugging Face names, so loading and
 * saving is a plain mapping; Linear weights keep Hugging Face's [out, in] layout.
 */
export class Encoder {
  readonly params = new Map<string, tf.Variable>();
  /** Tensors the checkpoint carried that the sentence encoder does not use (the BERT pooler); kept for export. */
  readonly extras = new Map<string, tf.Tensor>();
  /**
   * Run attention, add & LayerNorm and bias + GELU as fused WebGPU kernels (src/core/kernels) when the
   * backend is webgpu; the plain ops otherwise, or when this is off (for comparison, or as a safety valve).
   */
  fused = false;

  constructor(
    readonly config: EncoderConfig,
    weights: NamedTensor[],
    readonly pooling: Pooling = 'mean',
  ) {
    const required = expectedShapes(config);
    for (const w of weights) {
      const tensor = tf.tensor(w.data, w.shape, 'float32');
      if (required.has(w.name)) {
        this.params.set(w.name, tf.variable(tensor, true, `${w.name}#${nextId++}`));
        tensor.dispose();
      } else {
        this.extras.set(w.name, tensor);
      }
    }
    for (const name of required.keys()) {
      if (!this.params.has(name)) {
        this.dispose();
        throw new Error(`encoder built without "${name}"`);
      }
    }
  }

  private p(name: string): tf.Variable {
    return this.params.get(name)!;
  }

  /** The full forward pass. Call inside tf.tidy (or dispose the outputs). */
  forward(batch: TokenBatch): ForwardOutput {
    const { batchSize: b, length: t } = batch;
    const c = this.config;
    const h = c.hiddenSize;
    const heads = c.numHeads;
    const dh = h / heads;
    const ids = tf.tensor2d(batch.inputIds, [b, t], 'int32');
    const pos = tf.tensor2d(positionIds(c, batch), [b, t], 'int32');
    const types = tf.zeros([b, t], 'int32');
    // Built as float32 on the CPU side: casting an int32 mask on tfjs-backend-webgpu 4.22 (SwiftShader)
    // returned zeros once commands were batched, silently zeroing every output.
    const maskFloat = tf.tensor2d(Float32Array.from(batch.attentionMask), [b, t], 'float32');

    const wordAndPosition = embeddingLookup(this.p('embeddings.word_embeddings.weight') as tf.Tensor2D, ids)
      .add(embeddingLookup(this.p('embeddings.position_embeddings.weight') as tf.Tensor2D, pos));
    const tokenType = embeddingLookup(this.p('embeddings.token_type_embeddings.weight') as tf.Tensor2D, types);
    const fused = this.fused && fusedKernelsActive();
    const [lnGamma, lnBeta] = [this.p('embeddings.LayerNorm.weight'), this.p('embeddings.LayerNorm.bias')];
    let x = fused
      ? fusedLayerNormResidual(wordAndPosition as tf.Tensor2D, tokenType, lnGamma as tf.Tensor1D, lnBeta as tf.Tensor1D, c.layerNormEps)
      : layerNorm(wordAndPosition.add(tokenType), lnGamma, lnBeta, c.layerNormEps);
    const embeddingOutput = x.reshape([b, t, h]) as tf.Tensor3D;

    // Padding keys get a large negative score, so softmax gives them no weight.
    const maskBias = tf.sub(1, maskFloat).mul(-1e9).reshape([b, 1, 1, t]);
    const dense = (input: tf.Tensor, name: string) => linear(input as tf.Tensor2D, this.p(`${name}.weight`) as tf.Tensor2D, this.p(`${name}.bias`) as tf.Tensor1D);
    const splitHeads = (m: tf.Tensor) => m.reshape([b, t, heads, dh]).transpose([0, 2, 1, 3]);

    for (let i = 0; i < c.numLayers; i++) {
      const l = `encoder.layer.${i}.`;
      if (fused) {
        x = this.fusedLayer(x as tf.Tensor2D, l, maskFloat);
        continue;
      }
      const q = splitHeads(dense(x, `${l}attention.self.query`).mul(1 / Math.sqrt(dh)));
      const k = splitHeads(dense(x, `${l}attention.self.key`));
      const v = splitHeads(dense(x, `${l}attention.self.value`));
      const probs = tf.softmax(tf.matMul(q, k, false, true).add(maskBias));
      const context = tf.matMul(probs, v).transpose([0, 2, 1, 3]).reshape([b * t, h]);
      const attended = dense(context, `${l}attention.output.dense`);
      x = layerNorm(attended.add(x), this.p(`${l}attention.output.LayerNorm.weight`), this.p(`${l}attention.output.LayerNorm.bias`), c.layerNormEps);
      const inner = gelu(dense(x, `${l}intermediate.dense`), c.hiddenAct);
      const out = dense(inner, `${l}output.dense`);
      x = layerNorm(out.add(x), this.p(`${l}output.LayerNorm.weight`), this.p(`${l}output.LayerNorm.bias`), c.layerNormEps);
    }
    const lastHiddenState = x.reshape([b, t, h]) as tf.Tensor3D;
    let pooled: tf.Tensor2D;
    if (this.pooling === 'cls') {
      pooled = lastHiddenState.slice([0, 0, 0], [b, 1, h]).reshape([b, h]);
    } else {
      const m = maskFloat.reshape([b, t, 1]);
      // max(count, 1): an all-padding row (never produced by the tokenizer) must not divide by zero.
      pooled = lastHiddenState.mul(m).sum(1).div(m.sum(1).maximum(1)) as tf.Tensor2D;
    }
    const norm = pooled.square().sum(1, true).sqrt().maximum(1e-12);
    return { embeddingOutput, lastHiddenState, embeddings: pooled.div(norm) as tf.Tensor2D };
  }

  /** One transformer layer with the fused kernels; the same computation as the plain-op loop body. */
  private fusedLayer(x: tf.Tensor2D, l: string, mask: tf.Tensor2D): tf.Tensor2D {
    const c = this.config;
    const w = (name: string) => this.p(`${l}${name}.weight`) as tf.Tensor2D;
    const gamma = (name: string) => this.p(`${l}${name}.weight`) as tf.Tensor1D;
    const bias = (name: string) => this.p(`${l}${name}.bias`) as tf.Tensor1D;
    const dense = (input: tf.Tensor2D, name: string) => fusedLinear(input, w(name), bias(name));
    const context = fusedAttention(dense(x, 'attention.self.query'), dense(x, 'attention.self.key'), dense(x, 'attention.self.value'), mask, c.numHeads);
    const attended = dense(context, 'attention.output.dense');
    x = fusedLayerNormResidual(attended, x, gamma('attention.output.LayerNorm'), bias('attention.output.LayerNorm'), c.layerNormEps);
    const inner = fusedBiasGelu(fusedLinear(x, w('intermediate.dense'), null), bias('intermediate.dense'), c.hiddenAct);
    const out = dense(inner, 'output.dense');
    return fusedLayerNormResidual(out, x, gamma('output.LayerNorm'), bias('output.LayerNorm'), c.layerNormEps);
  }

  /** L2-normalised embeddings of a batch; the intermediate tensors are freed. */
  embed(batch: TokenBatch): tf.Tensor2D {
    return tf.tidy(() => this.forward(batch).embeddings);
  }

  /** Current parameter values, in checkpoint order, plus the kept extras: what export writes. */
  async namedTensors(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [];
    for (const name of expectedShapes(this.config).keys()) {
      const v = this.p(name);
      out.push({ name, shape: v.shape, data: (await v.data()) as Float32Array });
    }
    for (const [name, t] of this.extras) out.push({ name, shape: t.shape, data: (await t.data()) as Float32Array });
    return out;
  }

  parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.values()];
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    for (const t of this.extras.values()) t.dispose();
    this.params.clear();
    this.extras.clear();
  }
}
