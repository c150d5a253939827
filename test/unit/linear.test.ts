import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { linear } from '../../src/core/ops/linear';

// The Linear op exists for speed (untransposed products on wasm); it must equal the plain-op version,
// value and gradients, on every Node backend.
describe.each(['cpu', 'wasm'] as const)('linear on %s', (backend) => {
  beforeAll(async () => {
    await selectNodeBackend(backend);
  });

  it('matches x W^T + b and tf.matMul\'s gradients', () => {
    const x = tf.randomNormal([7, 5]) as tf.Tensor2D;
    const w = tf.randomNormal([3, 5]) as tf.Tensor2D;
    const b = tf.randomNormal([3]) as tf.Tensor1D;
    const up = tf.randomNormal([7, 3]);
    const before = tf.memory().numTensors;
    const ours = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => linear(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D).mul(up).sum());
    const plain = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D, false, true).add(d).mul(up).sum());
    const got = ours([x, w, b]);
    const want = plain([x, w, b]);
    for (let i = 0; i < 3; i++) {
      expect(got[i]!.shape).toEqual(want[i]!.shape);
      const diff = tf.tidy(() => got[i]!.sub(want[i]!).abs().max().dataSync()[0]!);
      expect(diff).toBeLessThan(1e-5);
    }
    const value = tf.tidy(() => linear(x, w, b).sub(tf.matMul(x, w, false, true).add(b)).abs().max().dataSync()[0]!);
    expect(value).toBeLessThan(1e-5);
    tf.dispose([...got, ...want]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, b, up]);
  });
});
