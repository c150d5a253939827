import * as tf from '@tensorflow/tfjs';

/**
 * Rows of `table` for every id in `ids` (any shape), as [ids.size, dim].
 *
 * tf.gather's own gradient needs UnsortedSegmentSum, which the wasm backend lacks. The gradient of a
 * lookup is a scatter-add of the upstream rows into the table's shape; ScatterNd sums duplicate
 * indices on every backend, so it is exactly that.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor2D {
  const flatIds = ids.reshape([-1]).toInt();
  const forward = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, i, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([i]);
    return {
      value: tf.gather(t, i),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const savedIds = saved[0]!;
        const tableGrad = tf.scatterND(savedIds.reshape([-1, 1]), dy, t.shape);
        return [tableGrad, tf.zerosLike(savedIds)];
      },
    };
  };
  const lookup = tf.customGrad(forward);
  const out = lookup(table, flatIds) as tf.Tensor2D;
  flatIds.dispose();
  return out;
}
