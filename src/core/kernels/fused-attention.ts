import * as tf from '@tensorflow/tfjs';
import {
  attentionForwardWgsl,
  attentionGradKeyValueWgsl,
  attentionGradQueryWgsl,
  attentionRowStatsWgsl,
  type AttentionShape,
} from './fused-attention.wgsl';
import { flatProgram, runFusedKernel, runProgram, webgpuKernel } from './program';

const FORWARD = 'PolyglotAttention';
const ROW_STATS = 'PolyglotAttentionRowStats';
const GRAD_QUERY = 'PolyglotAttentionGradQuery';
const GRAD_KEY = 'PolyglotAttentionGradKey';
const GRAD_VALUE = 'PolyglotAttentionGradValue';

function shapeOf(q: tf.TensorInfo, mask: tf.TensorInfo, attrs: tf.NamedAttrMap): AttentionShape {
  const [batch, length] = mask.shape as [number, number];
  const heads = attrs.heads as number;
  return { batch, length, heads, headSize: q.shape[1]! / heads, scale: attrs.scale as number };
}

function keyOf(name: string, s: AttentionShape): string {
  return `${name}_${s.batch}_${s.length}_${s.heads}_${s.headSize}_${s.scale}`;
}

export const attentionKernels: tf.KernelConfig[] = [
  webgpuKernel(FORWARD, ({ q, k, v, mask }, attrs, backend) => {
    const s = shapeOf(q!, mask!, attrs);
    const program = flatProgram(keyOf(FORWARD, s), ['qIn', 'kIn', 'vIn', 'maskIn'], q!.shape, s.batch * s.heads * s.length, attentionForwardWgsl(s));
    return runProgram(backend, program, [q!, k!, v!, mask!]);
  }),
  webgpuKernel(ROW_STATS, ({ q, k, mask, dy, out }, attrs, backend) => {
    const s = shapeOf(q!, mask!, attrs);
    const rows = s.batch * s.heads * s.length;
    const program = flatProgram(keyOf(ROW_STATS, s), ['qIn', 'kIn', 'maskIn', 'dOut', 'fwdOut'], [rows, 2], rows, attentionRowStatsWgsl(s));
    return runProgram(backend, program, [q!, k!, mask!, dy!, out!]);
  }),
  webgpuKernel(GRAD_QUERY, ({ q, k, v, mask, dy, stats }, attrs, backend) => {
    const s = shapeOf(q!, mask!, attrs);
    const program = flatProgram(keyOf(GRAD_QUERY, s), ['qIn', 'kIn', 'vIn', 'maskIn', 'dOut', 'stats'], q!.shape, s.batch * s.heads * s.length, attentionGradQueryWgsl(s));
    return runProgram(backend, program, [q!, k!, v!, mask!, dy!, stats!]);
  }),
  ...(['key', 'value'] as const).map((which) =>
    webgpuKernel(which === 'key' ? GRAD_KEY : GRAD_VALUE, ({ q, k, v, mask, dy, stats }, attrs, backend) => {
      const s = shapeOf(q!, mask!, attrs);
      const name = which === 'key' ? GRAD_KEY : GRAD_VALUE;
      const program = flatProgram(keyOf(name, s), ['qIn', 'kIn', 'vIn', 'maskIn', 'dOut', 'stats'], q!.shape, s.batch * s.heads * s.length, attentionGradKeyValueWgsl(s, which));
      return runProgram(backend, program, [q!, k!, v!, mask!, dy!, stats!]);
    }),
  ),
];

/**
 * Masked multi-head self-attention as one fused WebGPU kernel forward and four backward (row stats,
 * dQ, dK, dV), with the probabilities rebuilt from the saved log-sum-exp rather than stored.
 * q, k, v: [batch * length, hidden] straight from the projections; mask: [batch, length] float32,
 * 1 for a real token. Returns the context in the same [batch * length, hidden] layout.
 * Needs the webgpu backend with the kernels registered (see registry.ts).
 */
export function fusedAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, mask: tf.Tensor2D, heads: number): tf.Tensor2D {
  const scale = 1 / Math.sqrt(q.shape[1] / heads);
  const attrs = { heads, scale };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [qt, kt, vt, mt, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const out = runFusedKernel(FORWARD, { q: qt, k: kt, v: vt, mask: mt }, attrs) as tf.Tensor2D;
    save([qt, kt, vt, mt, out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sm, so] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const stats = runFusedKernel(ROW_STATS, { q: sq, k: sk, mask: sm, dy, out: so }, attrs);
        const inputs = { q: sq, k: sk, v: sv, mask: sm, dy, stats };
        const grads = [
          runFusedKernel(GRAD_QUERY, inputs, attrs),
          runFusedKernel(GRAD_KEY, inputs, attrs),
          runFusedKernel(GRAD_VALUE, inputs, attrs),
          tf.zerosLike(sm),
        ];
        stats.dispose();
        return grads;
      },
    };
  });
  return op(q, k, v, mask) as tf.Tensor2D;
}

/**
 * The plain-op attention the fused kernel replaces, exactly as the encoder computes it: the reference
 * for parity tests and the path on backends without the kernels.
 */
export function attentionReference(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, mask: tf.Tensor2D, heads: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, t] = mask.shape;
    const h = q.shape[1];
    const dh = h / heads;
    const splitHeads = (m: tf.Tensor) => m.reshape([b, t, heads, dh]).transpose([0, 2, 1, 3]);
    const maskBias = tf.sub(1, mask).mul(-1e9).reshape([b, 1, 1, t]);
    const probs = tf.softmax(tf.matMul(splitHeads(q.mul(1 / Math.sqrt(dh))), splitHeads(k), false, true).add(maskBias));
    return tf.matMul(probs, splitHeads(v)).transpose([0, 2, 1, 3]).reshape([b * t, h]) as tf.Tensor2D;
  });
}
