import * as tf from '@tensorflow/tfjs';
import { columnSumWgsl } from './column-sum.wgsl';
import { flatProgram, runFusedKernel, runProgram, webgpuKernel } from './program';

const COLUMN_SUM = 'PolyglotColumnSum';

export const columnSumKernels: tf.KernelConfig[] = [
  webgpuKernel(COLUMN_SUM, ({ x }, _attrs, backend) => {
    const [rows, columns] = x!.shape as [number, number];
    return runProgram(backend, flatProgram(`${COLUMN_SUM}_${rows}_${columns}`, ['xIn'], [columns], columns, columnSumWgsl({ rows, columns })), [x!]);
  }),
];

/**
 * Sum over the rows of x [rows, columns] as one WebGPU kernel: the bias gradients of the fused ops.
 * Not differentiable itself (it only ever runs inside gradient functions). Needs the kernels registered.
 */
export function columnSum(x: tf.Tensor): tf.Tensor1D {
  const x2 = x.reshape([-1, x.shape[x.shape.length - 1]!]);
  const out = runFusedKernel(COLUMN_SUM, { x: x2 }, {}) as tf.Tensor1D;
  x2.dispose();
  return out;
}

/** The plain-op column sum: the reference. */
export function columnSumReference(x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => x.reshape([-1, x.shape[x.shape.length - 1]!]).sum(0) as tf.Tensor1D);
}
