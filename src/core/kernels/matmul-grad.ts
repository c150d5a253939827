import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { linearForwardWgsl, matmulGradWgsl } from './matmul-grad.wgsl';
import { flatProgram, runFusedKernel, runProgram, webgpuKernel, type FlatProgram } from './program';

const MATMUL_GRAD = 'PolyglotMatmulGrad';
const LINEAR = 'PolyglotLinear';

/** Reads and writes four floats at a time where `components` says 4. */
function vectorised({ program, threads }: FlatProgram, components: number[]): FlatProgram {
  const p: WebGPUProgram = { ...program, outputComponent: 4, variableComponents: components };
  return { program: p, threads };
}

export const matmulKernels: tf.KernelConfig[] = [
  webgpuKernel(MATMUL_GRAD, ({ a, b }, attrs, backend) => {
    const transposeA = attrs.transposeA as boolean;
    const [j, n] = b!.shape as [number, number];
    const m = transposeA ? a!.shape[1]! : a!.shape[0]!;
    const program = flatProgram(`${MATMUL_GRAD}_${m}_${n}_${j}_${transposeA}`, ['aIn', 'bIn'], [m, n], (m * n) / 4, matmulGradWgsl({ m, n, j, transposeA }));
    return runProgram(backend, vectorised(program, [1, 4]), [a!, b!]);
  }),
  webgpuKernel(LINEAR, ({ x, weight, bias }, _attrs, backend) => {
    const [rows, inFeatures] = x!.shape as [number, number];
    const outFeatures = weight!.shape[0]!;
    const shape = { rows, inFeatures, outFeatures, bias: bias !== undefined };
    const names = bias ? ['xIn', 'wIn', 'biasIn'] : ['xIn', 'wIn'];
    const program = flatProgram(`${LINEAR}_${rows}_${inFeatures}_${outFeatures}_${shape.bias}`, names, [rows, outFeatures], (rows * outFeatures) / 4, linearForwardWgsl(shape));
    return runProgram(backend, vectorised(program, names.map(() => 4)), bias ? [x!, weight!, bias] : [x!, weight!]);
  }),
];

/** Whether the vectorised kernels apply: every feature count a multiple of 4. */
export function vectorisable(...features: number[]): boolean {
  return features.every((f) => f % 4 === 0);
}

/**
 * A B (or A^T B), B's column count a multiple of 4, as one WebGPU kernel: the input and weight
 * gradients of a Linear layer. Not differentiable itself. Needs the kernels registered.
 */
export function matmulGrad(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean): tf.Tensor2D {
  return runFusedKernel(MATMUL_GRAD, { a, b }, { transposeA }) as tf.Tensor2D;
}

/** x W^T (+ b), feature counts multiples of 4, as one WebGPU kernel. Not differentiable itself. */
export function linearForward(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D {
  return runFusedKernel(LINEAR, bias ? { x, weight, bias } : { x, weight }, {}) as tf.Tensor2D;
}
