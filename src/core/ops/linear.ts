import * as tf from '@tensorflow/tfjs';

/**
 * A Linear layer with Hugging Face's weight layout: x [n, in] times weight [out, in] transposed, plus
 * bias [out].
 *
 * Every matrix product here, forward and backward, is a plain untransposed one on explicitly
 * transposed operands. tfjs-backend-wasm sends only untransposed products to XNNPACK; a product with
 * transposeA or transposeB set takes its naive loop, measured about ten times slower on these cores
 * (build/prof: 2.5 against 27 GFLOP/s at 2560x128x128). tf.matMul's own gradient always asks for
 * transposed products, so the gradient is written out here too.
 */
export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const forward = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([input, w]);
    return {
      value: tf.matMul(input, w.transpose()).add(b) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [savedInput, savedWeight] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [tf.matMul(dy, savedWeight), tf.matMul(dy.transpose(), savedInput), dy.sum(0)];
      },
    };
  };
  return tf.customGrad(forward)(x, weight, bias) as tf.Tensor2D;
}
