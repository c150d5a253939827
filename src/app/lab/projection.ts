/**
 * Principal-component projection of embeddings to 2-D, in plain TypeScript: the matrices are small
 * (a few hundred points, at most 1024 dimensions), so power iteration on the covariance is enough.
 */
export interface Projection {
  /** x, y per point */
  xs: Float32Array;
  ys: Float32Array;
  /** The two components, to keep the orientation stable between updates. */
  components: [Float32Array, Float32Array];
}

function covariance(vectors: Float32Array, n: number, dim: number): { cov: Float64Array; centred: Float64Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += vectors[i * dim + d]! / n;
  const centred = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) centred[i * dim + d] = vectors[i * dim + d]! - mean[d]!;
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    for (let a = 0; a < dim; a++) {
      const va = centred[row + a]!;
      if (va === 0) continue;
      for (let b = a; b < dim; b++) cov[a * dim + b]! += va * centred[row + b]!;
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) cov[a * dim + b] = cov[b * dim + a]!;
  return { cov, centred };
}

function topEigenvector(cov: Float64Array, dim: number, deflate: Float64Array | null, seed: number): Float64Array {
  let v = new Float64Array(dim);
  // A fixed, non-degenerate start so that the result is deterministic.
  for (let d = 0; d < dim; d++) v[d] = Math.sin(seed * 12.9898 + d * 78.233) + 1.5;
  for (let iter = 0; iter < 200; iter++) {
    if (deflate) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += v[d]! * deflate[d]!;
      for (let d = 0; d < dim; d++) v[d]! -= dot * deflate[d]!;
    }
    const next = new Float64Array(dim);
    for (let a = 0; a < dim; a++) {
      let s = 0;
      for (let b = 0; b < dim; b++) s += cov[a * dim + b]! * v[b]!;
      next[a] = s;
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += next[d]! ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-20) break;
    let change = 0;
    for (let d = 0; d < dim; d++) {
      next[d]! /= norm;
      change += Math.abs(next[d]! - v[d]!);
    }
    v = next;
    if (change < 1e-9) break;
  }
  return v;
}

/**
 * Projects `n` row vectors onto their first two principal components. With `previous` components the
 * signs are chosen to agree with them, so the picture does not flip between training updates.
 */
export function pca2d(vectors: Float32Array, n: number, dim: number, previous?: [Float32Array, Float32Array]): Projection {
  const { cov, centred } = covariance(vectors, n, dim);
  const first = topEigenvector(cov, dim, null, 1);
  const second = topEigenvector(cov, dim, first, 2);
  const components = [first, second].map((c, k) => {
    const prev = previous?.[k];
    if (prev && prev.length === dim) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += c[d]! * prev[d]!;
      if (dot < 0) for (let d = 0; d < dim; d++) c[d] = -c[d]!;
    }
    return Float32Array.from(c);
  }) as [Float32Array, Float32Array];
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    for (let d = 0; d < dim; d++) {
      const v = centred[i * dim + d]!;
      x += v * components[0][d]!;
      y += v * components[1][d]!;
    }
    xs[i] = x;
    ys[i] = y;
  }
  return { xs, ys, components };
}
