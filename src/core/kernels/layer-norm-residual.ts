import * as tf from '@tensorflow/tfjs';
import { layerNormForwardWgsl, layerNormGradInputWgsl, layerNormGradParamWgsl, layerNormRowStatsWgsl, type LayerNormShape } from './layer-norm-residual.wgsl';
import { flatProgram, runFusedKernel, runProgram, webgpuKernel } from './program';

const FORWARD = 'PolyglotLayerNormResidual';
const ROW_STATS = 'PolyglotLayerNormRowStats';
const GRAD_INPUT = 'PolyglotLayerNormGradInput';
const GRAD_GAMMA = 'PolyglotLayerNormGradGamma';
const GRAD_BETA = 'PolyglotLayerNormGradBeta';

function shapeOf(x: tf.TensorInfo, attrs: tf.NamedAttrMap): LayerNormShape {
  return { rows: x.shape[0]!, width: x.shape[1]!, eps: attrs.eps as number };
}

const keyOf = (name: string, s: LayerNormShape) => `${name}_${s.rows}_${s.width}_${s.eps}`;

export const layerNormKernels: tf.KernelConfig[] = [
  webgpuKernel(FORWARD, ({ x, residual, gamma, beta }, attrs, backend) => {
    const s = shapeOf(x!, attrs);
    const program = flatProgram(keyOf(FORWARD, s), ['xIn', 'resIn', 'gammaIn', 'betaIn'], x!.shape, s.rows, layerNormForwardWgsl(s));
    return runProgram(backend, program, [x!, residual!, gamma!, beta!]);
  }),
  webgpuKernel(ROW_STATS, ({ x, residual }, attrs, backend) => {
    const s = shapeOf(x!, attrs);
    const program = flatProgram(keyOf(ROW_STATS, s), ['xIn', 'resIn'], [s.rows, 2], s.rows, layerNormRowStatsWgsl(s));
    return runProgram(backend, program, [x!, residual!]);
  }),
  webgpuKernel(GRAD_INPUT, ({ x, residual, gamma, dy, stats }, attrs, backend) => {
    const s = shapeOf(x!, attrs);
    const program = flatProgram(keyOf(GRAD_INPUT, s), ['xIn', 'resIn', 'gammaIn', 'dy', 'stats'], x!.shape, s.rows, layerNormGradInputWgsl(s));
    return runProgram(backend, program, [x!, residual!, gamma!, dy!, stats!]);
  }),
  ...(['gamma', 'beta'] as const).map((which) => {
    const name = which === 'gamma' ? GRAD_GAMMA : GRAD_BETA;
    return webgpuKernel(name, ({ x, residual, dy, stats }, attrs, backend) => {
      const s = shapeOf(x!, attrs);
      const code = layerNormGradParamWgsl(s, which);
      // dBeta reads dy alone; an input the code does not read would have no binding.
      if (which === 'beta') return runProgram(backend, flatProgram(keyOf(name, s), ['dy'], [s.width], s.width, code), [dy!]);
      return runProgram(backend, flatProgram(keyOf(name, s), ['xIn', 'resIn', 'dy', 'stats'], [s.width], s.width, code), [x!, residual!, dy!, stats!]);
    });
  }),
];

/**
 * LayerNorm(x + residual) * gamma + beta over the last axis, fused on WebGPU: one kernel forward, four
 * backward (row stats, the input gradient shared by x and the residual, dGamma, dBeta).
 * x, residual: [rows, width]; gamma, beta: [width]. Needs the webgpu backend with the kernels registered.
 */
export function fusedLayerNormResidual(x: tf.Tensor2D, residual: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const attrs = { eps };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, rt, gt, bt, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    save([xt, rt, gt]);
    return {
      value: runFusedKernel(FORWARD, { x: xt, residual: rt, gamma: gt, beta: bt }, attrs) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sr, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const stats = runFusedKernel(ROW_STATS, { x: sx, residual: sr }, attrs);
        const dInput = runFusedKernel(GRAD_INPUT, { x: sx, residual: sr, gamma: sg, dy, stats }, attrs);
        const grads = [
          dInput,
          // The residual's gradient is the same tensor; a copy, because the tape disposes each gradient.
          dInput.clone(),
          runFusedKernel(GRAD_GAMMA, { x: sx, residual: sr, dy, stats }, attrs),
          runFusedKernel(GRAD_BETA, { x: sx, residual: sr, dy }, attrs),
        ];
        stats.dispose();
        return grads;
      },
    };
  });
  return op(x, residual, gamma, beta) as tf.Tensor2D;
}

/** The plain-op add & LayerNorm the fused kernel replaces, as the encoder computes it: the reference. */
export function layerNormResidualReference(x: tf.Tensor2D, residual: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  return tf.tidy(() => {
    const s = x.add(residual);
    const { mean, variance } = tf.moments(s, -1, true);
    return s.sub(mean).mul(tf.rsqrt(variance.add(eps))).mul(gamma).add(beta) as tf.Tensor2D;
  });
}
