// WGSL for LayerNorm over the last axis of (x + residual), the post-LN transformer's add & norm.
// One invocation per row for the row-wise passes, one per column for the parameter gradients.

export interface LayerNormShape {
  rows: number;
  width: number;
  eps: number;
}

function constants(s: LayerNormShape): string {
  return `
  const ROWS = ${s.rows};
  const W = ${s.width};
  const EPS = ${s.eps.toExponential(9)};`;
}

/** Mean and variance in two passes, as tf.moments computes them, so the results agree closely. */
const rowMoments = `
    var mean = 0.0;
    for (var c = 0; c < W; c++) { mean += xIn[o + c] + resIn[o + c]; }
    mean = mean / f32(W);
    var variance = 0.0;
    for (var c = 0; c < W; c++) { let d = xIn[o + c] + resIn[o + c] - mean; variance += d * d; }
    let rstd = inverseSqrt(variance / f32(W) + EPS);`;

/** Forward: y = (s - mean) * rstd * gamma + beta with s = x + residual. */
export function layerNormForwardWgsl(s: LayerNormShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let o = index * W;
    ${rowMoments}
    for (var c = 0; c < W; c++) {
      result[o + c] = (xIn[o + c] + resIn[o + c] - mean) * rstd * gammaIn[c] + betaIn[c];
    }
  }`;
}

/** Backward, step 1: each row's mean and 1/sqrt(var + eps), [rows, 2], for the column-wise pass. */
export function layerNormRowStatsWgsl(s: LayerNormShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let o = index * W;
    ${rowMoments}
    result[index * 2] = mean;
    result[index * 2 + 1] = rstd;
  }`;
}

/**
 * Backward, the input gradient (shared by x and the residual): with g = dy * gamma and xhat the
 * normalised input, ds = rstd * (g - mean(g) - xhat * mean(g * xhat)).
 */
export function layerNormGradInputWgsl(s: LayerNormShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let o = index * W;
    let mean = stats[index * 2];
    let rstd = stats[index * 2 + 1];
    var sumG = 0.0;
    var sumGX = 0.0;
    for (var c = 0; c < W; c++) {
      let g = dy[o + c] * gammaIn[c];
      sumG += g;
      sumGX += g * (xIn[o + c] + resIn[o + c] - mean) * rstd;
    }
    let meanG = sumG / f32(W);
    let meanGX = sumGX / f32(W);
    for (var c = 0; c < W; c++) {
      let xhat = (xIn[o + c] + resIn[o + c] - mean) * rstd;
      result[o + c] = rstd * (dy[o + c] * gammaIn[c] - meanG - xhat * meanGX);
    }
  }`;
}

/** Backward, dGamma (sum over rows of dy * xhat) or dBeta (sum over rows of dy), one thread per column. */
export function layerNormGradParamWgsl(s: LayerNormShape, which: 'gamma' | 'beta'): string {
  const term = which === 'gamma' ? `dy[r * W + c] * (xIn[r * W + c] + resIn[r * W + c] - stats[r * 2]) * stats[r * 2 + 1]` : `dy[r * W + c]`;
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let c = index;
    var acc = 0.0;
    for (var r = 0; r < ROWS; r++) { acc += ${term}; }
    result[c] = acc;
  }`;
}
