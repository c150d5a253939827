// WGSL for GELU(x + bias), the feed-forward block's activation, one invocation per element.
// 'gelu' is BERT's exact-erf GELU; 'gelu_new' the tanh approximation.

export interface BiasGeluShape {
  size: number;
  width: number;
  kind: 'gelu' | 'gelu_new';
}

// erf by Abramowitz and Stegun 7.1.26 with tfjs's own constants, so the fused kernel and tf.erf agree.
const erf = `
  fn erfApprox(a : f32) -> f32 {
    let t = 1.0 / (1.0 + 0.3275911 * abs(a));
    let poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
    return sign(a) * (1.0 - poly * exp(-a * a));
  }`;

function activation(kind: BiasGeluShape['kind']): string {
  if (kind === 'gelu_new') {
    return `
  const C = 0.7978845608; // sqrt(2 / pi)
  fn tanhStable(z : f32) -> f32 {
    // tanh from exp of a non-positive argument: no overflow for large |z|.
    let e = exp(-2.0 * abs(z));
    return sign(z) * (1.0 - e) / (1.0 + e);
  }
  fn gelu(x : f32) -> f32 {
    return 0.5 * x * (1.0 + tanhStable(C * (x + 0.044715 * x * x * x)));
  }
  fn geluGrad(x : f32) -> f32 {
    let th = tanhStable(C * (x + 0.044715 * x * x * x));
    return 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * C * (1.0 + 3.0 * 0.044715 * x * x);
  }`;
  }
  return `${erf}
  fn gelu(x : f32) -> f32 {
    return 0.5 * x * (1.0 + erfApprox(x * 0.7071067812));
  }
  fn geluGrad(x : f32) -> f32 {
    // d/dx of x * Phi(x): Phi(x) + x * phi(x), with the exact Gaussian density.
    return 0.5 * (1.0 + erfApprox(x * 0.7071067812)) + x * 0.3989422804 * exp(-0.5 * x * x);
  }`;
}

function constants(s: BiasGeluShape): string {
  return `
  const N = ${s.size};
  const W = ${s.width};
  ${activation(s.kind)}`;
}

/** Forward: y = gelu(x + bias[column]). */
export function biasGeluForwardWgsl(s: BiasGeluShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    result[index] = gelu(xIn[index] + biasIn[index % W]);
  }`;
}

/** Backward: dx = dy * gelu'(x + bias); the bias gradient is this summed over rows. */
export function biasGeluGradWgsl(s: BiasGeluShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    result[index] = dy[index] * geluGrad(xIn[index] + biasIn[index % W]);
  }`;
}
