import * as tf from '@tensorflow/tfjs';
import type { HiddenAct } from '../config';
import { columnSum } from './column-sum';
import { biasGeluForwardWgsl, biasGeluGradWgsl, type BiasGeluShape } from './bias-gelu.wgsl';
import { flatProgram, runFusedKernel, runProgram, webgpuKernel } from './program';

const FORWARD = 'PolyglotBiasGelu';
const GRAD = 'PolyglotBiasGeluGrad';

function shapeOf(x: tf.TensorInfo, attrs: tf.NamedAttrMap): BiasGeluShape {
  return { size: x.shape[0]! * x.shape[1]!, width: x.shape[1]!, kind: attrs.kind as HiddenAct };
}

const keyOf = (name: string, s: BiasGeluShape) => `${name}_${s.size}_${s.width}_${s.kind}`;

export const biasGeluKernels: tf.KernelConfig[] = [
  webgpuKernel(FORWARD, ({ x, bias }, attrs, backend) => {
    const s = shapeOf(x!, attrs);
    return runProgram(backend, flatProgram(keyOf(FORWARD, s), ['xIn', 'biasIn'], x!.shape, s.size, biasGeluForwardWgsl(s)), [x!, bias!]);
  }),
  webgpuKernel(GRAD, ({ x, bias, dy }, attrs, backend) => {
    const s = shapeOf(x!, attrs);
    return runProgram(backend, flatProgram(keyOf(GRAD, s), ['xIn', 'biasIn', 'dy'], x!.shape, s.size, biasGeluGradWgsl(s)), [x!, bias!, dy!]);
  }),
];

/**
 * GELU(x + bias) fused on WebGPU: one kernel forward, one backward for the input gradient, whose
 * column sum (one more kernel) is the bias gradient.
 * x: [rows, width], bias: [width]. Needs the webgpu backend with the kernels registered.
 */
export function fusedBiasGelu(x: tf.Tensor2D, bias: tf.Tensor1D, kind: HiddenAct): tf.Tensor2D {
  const attrs = { kind };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, bt, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xt, bt]);
    return {
      value: runFusedKernel(FORWARD, { x: xt, bias: bt }, attrs) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sb] = saved as [tf.Tensor2D, tf.Tensor1D];
        const dx = runFusedKernel(GRAD, { x: sx, bias: sb, dy }, attrs);
        return [dx, columnSum(dx)];
      },
    };
  });
  return op(x, bias) as tf.Tensor2D;
}

/** The plain-op bias add and GELU the fused kernel replaces, as the encoder computes them: the reference. */
export function biasGeluReference(x: tf.Tensor2D, bias: tf.Tensor1D, kind: HiddenAct): tf.Tensor2D {
  return tf.tidy(() => {
    const z = x.add(bias);
    if (kind === 'gelu_new') {
      const inner = z.add(z.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
      return z.mul(0.5).mul(tf.tanh(inner).add(1)) as tf.Tensor2D;
    }
    return z.mul(0.5).mul(tf.erf(z.mul(Math.SQRT1_2)).add(1)) as tf.Tensor2D;
  });
}
