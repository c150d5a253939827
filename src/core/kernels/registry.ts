import * as tf from '@tensorflow/tfjs';
import { attentionKernels } from './fused-attention';
import { biasGeluKernels } from './bias-gelu';
import { columnSumKernels } from './column-sum';
import { matmulKernels } from './matmul-grad';
import { layerNormKernels } from './layer-norm-residual';

const ALL_KERNELS = [...attentionKernels, ...layerNormKernels, ...biasGeluKernels, ...columnSumKernels, ...matmulKernels];

/** Registers the fused kernels with tfjs for the webgpu backend; later calls do nothing. */
export function registerFusedKernels(): void {
  for (const config of ALL_KERNELS) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}

/**
 * Whether the fused kernels can run now: only on the webgpu backend (registering them if needed).
 * Elsewhere callers use the plain-op references.
 */
export function fusedKernelsActive(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  registerFusedKernels();
  return true;
}
