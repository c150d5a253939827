import * as tf from '@tensorflow/tfjs';
import { columnSum } from './column-sum';
import { linearForward, matmulGrad, vectorisable } from './matmul-grad';

/**
 * x W^T + b, a Linear layer with W in Hugging Face's [out, in] layout, as WebGPU kernels of ours:
 * forward one kernel with the bias in its epilogue; backward dX = dY W and dW = dY^T X (one kernel
 * each) and dB a column sum. On SwiftShader these run several times faster than tfjs's tiled matmul
 * for the encoder's shapes (measured in npm run bench). With `bias` null it is x W^T alone (the
 * feed-forward layer whose bias goes into the fused GELU). Feature counts that are not multiples of 4
 * use tfjs's matmuls. Needs the webgpu backend with the kernels registered.
 */
export function fusedLinear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D {
  const [outFeatures, inFeatures] = weight.shape;
  const ours = vectorisable(inFeatures, outFeatures);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xt, wt, bt, save] = (bias ? args : [args[0], args[1], null, args[2]]) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | null, tf.GradSaveFunc];
    save([xt, wt]);
    const value = ours ? linearForward(xt, wt, bt) : bt ? tf.fused.matMul({ a: xt, b: wt, transposeB: true, bias: bt }) : tf.matMul(xt, wt, false, true);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dy2 = dy as tf.Tensor2D;
        const grads = ours ? [matmulGrad(dy2, sw, false), matmulGrad(dy2, sx, true)] : [tf.matMul(dy2, sw), tf.matMul(dy2, sx, true, false)];
        return bias ? [...grads, columnSum(dy2)] : grads;
      },
    };
  });
  return (bias ? op(x, weight, bias) : op(x, weight)) as tf.Tensor2D;
}

/** The plain-op Linear layer, as the encoder computes it: the reference. */
export function linearReference(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D {
  return tf.tidy(() => {
    const y = tf.matMul(x, weight, false, true);
    return (bias ? y.add(bias) : y) as tf.Tensor2D;
  });
}
