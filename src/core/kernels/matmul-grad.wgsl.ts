// WGSL for the two products a Linear layer's gradient needs, C[m, n] = sum_j A(m, j) * B[j, n] with B
// row-major [J, N]: dX = dY W (A = dY, [M, J]) and dW = dY^T X (A = dY read transposed, [J, M]).
// One invocation per 4 adjacent outputs of a row: the four read neighbouring B values (one vec4 load)
// and share one A value, the pattern SwiftShader's SIMD lanes run best, with no workgroup memory or
// barriers. tfjs's tiled matmul is slower here, the transposed-A form most of all.

export interface MatmulGradShape {
  m: number;
  n: number;
  j: number;
  transposeA: boolean;
}

export function matmulGradWgsl(s: MatmulGradShape): string {
  const a = s.transposeA ? `aIn[k * M + row]` : `aIn[row * J + k]`;
  return `
  const M = ${s.m};
  const N4 = ${s.n / 4};
  const J = ${s.j};
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let row = index / N4;
    let col4 = index % N4;
    var acc = vec4<f32>(0.0);
    for (var k = 0; k < J; k++) {
      acc += ${a} * bIn[k * N4 + col4];
    }
    result[index] = acc;
  }`;
}

export interface LinearShape {
  rows: number;
  inFeatures: number;
  outFeatures: number;
  bias: boolean;
}

/**
 * The Linear layer's forward, y = x W^T (+ b) with W in Hugging Face's [out, in] layout: one invocation
 * per 4 adjacent outputs of a row, walking the shared input row and four weight rows a vec4 at a time.
 */
export function linearForwardWgsl(s: LinearShape): string {
  return `
  const K4 = ${s.inFeatures / 4};
  const O4 = ${s.outFeatures / 4};
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let row = index / O4;
    let o = (index % O4) * 4;
    var acc = vec4<f32>(0.0);
    for (var k = 0; k < K4; k++) {
      let xv = xIn[row * K4 + k];
      acc += vec4<f32>(dot(xv, wIn[o * K4 + k]), dot(xv, wIn[(o + 1) * K4 + k]), dot(xv, wIn[(o + 2) * K4 + k]), dot(xv, wIn[(o + 3) * K4 + k]));
    }
    result[index] = acc${s.bias ? ' + biasIn[index % O4]' : ''};
  }`;
}
