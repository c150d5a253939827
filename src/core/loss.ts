import * as tf from '@tensorflow/tfjs';

/**
 * InfoNCE with in-batch negatives (sentence-transformers' MultipleNegativesRankingLoss): row i of
 * `queries` should score highest against row i of `passages`. Both are L2-normalised, so the scores
 * are cosine similarities, divided by the temperature.
 */
export function infoNceLoss(queries: tf.Tensor2D, passages: tf.Tensor2D, temperature = 0.05): tf.Scalar {
  return tf.tidy(() => {
    const scores = tf.matMul(queries, passages, false, true).div(temperature);
    const labels = tf.oneHot(tf.range(0, queries.shape[0], 1, 'int32'), passages.shape[0]);
    return tf.losses.softmaxCrossEntropy(labels, scores) as tf.Scalar;
  });
}

/** InfoNCE in both directions (each side ranks the other), averaged: translation ranking as in LaBSE. */
export function symmetricInfoNceLoss(a: tf.Tensor2D, b: tf.Tensor2D, temperature = 0.05): tf.Scalar {
  return tf.tidy(() => infoNceLoss(a, b, temperature).add(infoNceLoss(b, a, temperature)).div(2) as tf.Scalar);
}
