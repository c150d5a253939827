import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Threads per workgroup for the one-thread-per-row (or per-element) kernels below. */
const WORKGROUP = 64;

/** A WebGPU program with the number of invocations it needs. */
export interface FlatProgram {
  program: WebGPUProgram;
  threads: number;
}

/**
 * A WebGPU program in the form tfjs-backend-webgpu compiles: one invocation per item, `main(index)`
 * called with the flat thread index, which the code must check against `uniforms.threads` (the
 * dispatch is rounded up to whole workgroups). tfjs keys its pipeline cache on ranks only, so every
 * value baked into the WGSL (lengths, head size, flags) must also be in `key`. Every input named in
 * `variableNames` must be read by the code: the pipeline layout keeps only the bindings it uses.
 */
export function flatProgram(key: string, variableNames: string[], outputShape: number[], threads: number, userCode: string): FlatProgram {
  return {
    threads,
    program: {
      variableNames,
      outputShape,
      shaderKey: `polyglot_${key}`,
      dispatchLayout: { x: outputShape.map((_, i) => i) },
      dispatch: [Math.ceil(threads / WORKGROUP), 1, 1],
      workgroupSize: [WORKGROUP, 1, 1],
      uniforms: 'threads : i32,',
      getUserCode: () => userCode,
    },
  };
}

/** Runs a program on the webgpu backend; the result is float32 of the program's output shape. */
export function runProgram(backend: tf.KernelBackend, { program, threads }: FlatProgram, inputs: tf.TensorInfo[]): tf.TensorInfo {
  return (backend as unknown as WebGPUBackend).runWebGPUProgram(program, inputs, 'float32', [{ type: 'int32', data: [threads] }]);
}

/** A kernel config for the webgpu backend from a function of inputs and attributes. */
export function webgpuKernel(
  kernelName: string,
  run: (inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap, backend: tf.KernelBackend) => tf.TensorInfo,
): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) => run(inputs as tf.NamedTensorInfoMap, (attrs ?? {}) as tf.NamedAttrMap, backend as tf.KernelBackend),
  };
}

/** Runs a registered kernel through the engine, so that it is taped and its output tracked. */
export function runFusedKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number | boolean | string>): tf.Tensor {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** WGSL number literal for an f32 constant (WGSL wants a decimal point or an exponent). */
export function f32(x: number): string {
  return x.toExponential(9);
}
