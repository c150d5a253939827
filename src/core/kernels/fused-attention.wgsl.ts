// WGSL for masked multi-head attention, one invocation per (sequence, head, row). Q, K, V and the
// output stay in the dense layers' [batch * length, hidden] layout (head h owns columns h*dh..), so no
// head split or merge transposes are needed. Sizes are baked in: the score row lives in registers.

export interface AttentionShape {
  batch: number;
  length: number;
  heads: number;
  headSize: number;
  scale: number;
}

function constants(s: AttentionShape): string {
  return `
  const T = ${s.length};
  const HEADS = ${s.heads};
  const DH = ${s.headSize};
  const HID = ${s.heads * s.headSize};
  const ROWS = ${s.batch * s.heads * s.length};
  const SCALE = ${s.scale.toExponential(9)};
  // Padding keys get a large negative score, as in the plain-op encoder.
  const MASKED = -1.0e9;

  // Offset of head h's slice of token t of sequence b in a [batch * length, hidden] tensor.
  fn rowOffset(b : i32, t : i32, h : i32) -> i32 {
    return (b * T + t) * HID + h * DH;
  }`;
}

// Query row i of head h against every key of its sequence: the scaled, masked scores and their
// maximum, in q, scores and rowMax. Shared by the forward pass and the backward's row statistics,
// which must compute the very same scores.
const MASKED_SCORE_ROW = `    var q : array<f32, DH>;
    for (var d = 0; d < DH; d++) { q[d] = qIn[qo + d]; }
    var scores : array<f32, T>;
    var rowMax = -3.402823e+38;
    for (var j = 0; j < T; j++) {
      let ko = rowOffset(b, j, h);
      var dot = 0.0;
      for (var d = 0; d < DH; d++) { dot += q[d] * kIn[ko + d]; }
      let score = dot * SCALE + (1.0 - maskIn[b * T + j]) * MASKED;
      scores[j] = score;
      rowMax = max(rowMax, score);
    }`;

/** Forward: scores, mask, softmax and the weighted sum of values, writing the context [b*t, hidden]. */
export function attentionForwardWgsl(s: AttentionShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let i = index % T;
    let h = (index / T) % HEADS;
    let b = index / (T * HEADS);
    let qo = rowOffset(b, i, h);
${MASKED_SCORE_ROW}
    var total = 0.0;
    for (var j = 0; j < T; j++) {
      let e = exp(scores[j] - rowMax);
      scores[j] = e;
      total += e;
    }
    let inv = 1.0 / total;
    var acc : array<f32, DH>;
    for (var j = 0; j < T; j++) {
      let w = scores[j] * inv;
      let vo = rowOffset(b, j, h);
      for (var d = 0; d < DH; d++) { acc[d] += w * vIn[vo + d]; }
    }
    for (var d = 0; d < DH; d++) { result[qo + d] = acc[d]; }
  }`;
}

/**
 * Backward, step 1: per row, the log-sum-exp of the scores and D = dO . O (the softmax backward's
 * row term), as [rows, 2], so the gradient kernels can rebuild any probability without the whole row.
 */
export function attentionRowStatsWgsl(s: AttentionShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let i = index % T;
    let h = (index / T) % HEADS;
    let b = index / (T * HEADS);
    let qo = rowOffset(b, i, h);
${MASKED_SCORE_ROW}
    var total = 0.0;
    for (var j = 0; j < T; j++) { total += exp(scores[j] - rowMax); }
    var rowTerm = 0.0;
    for (var d = 0; d < DH; d++) { rowTerm += dOut[qo + d] * fwdOut[qo + d]; }
    result[index * 2] = rowMax + log(total);
    result[index * 2 + 1] = rowTerm;
  }`;
}

/** Backward, dQ: one invocation per query row, summing dS_ij k_j over keys. */
export function attentionGradQueryWgsl(s: AttentionShape): string {
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let i = index % T;
    let h = (index / T) % HEADS;
    let b = index / (T * HEADS);
    let qo = rowOffset(b, i, h);
    var q : array<f32, DH>;
    var dO : array<f32, DH>;
    for (var d = 0; d < DH; d++) { q[d] = qIn[qo + d]; dO[d] = dOut[qo + d]; }
    let lse = stats[index * 2];
    let rowTerm = stats[index * 2 + 1];
    var acc : array<f32, DH>;
    for (var j = 0; j < T; j++) {
      let ko = rowOffset(b, j, h);
      var dot = 0.0;
      var dp = 0.0;
      for (var d = 0; d < DH; d++) { dot += q[d] * kIn[ko + d]; dp += dO[d] * vIn[ko + d]; }
      let prob = exp(dot * SCALE + (1.0 - maskIn[b * T + j]) * MASKED - lse);
      let ds = prob * (dp - rowTerm);
      for (var d = 0; d < DH; d++) { acc[d] += ds * kIn[ko + d]; }
    }
    for (var d = 0; d < DH; d++) { result[qo + d] = acc[d] * SCALE; }
  }`;
}

/**
 * Backward, dK or dV: one invocation per key row j, summing over the queries that attend to it
 * (dV_j = sum_i P_ij dO_i; dK_j = sum_i dS_ij q_i). Two variants of one loop, so neither needs a slice.
 */
export function attentionGradKeyValueWgsl(s: AttentionShape, which: 'key' | 'value'): string {
  const accumulate = which === 'value'
    ? `for (var d = 0; d < DH; d++) { acc[d] += prob * dOut[qo + d]; }`
    : `var dp = 0.0;
      for (var d = 0; d < DH; d++) { dp += dOut[qo + d] * v[d]; }
      let ds = prob * (dp - stats[row * 2 + 1]);
      for (var d = 0; d < DH; d++) { acc[d] += ds * qIn[qo + d]; }`;
  const finalScale = which === 'value' ? '1.0' : 'SCALE';
  return `${constants(s)}
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    let j = index % T;
    let h = (index / T) % HEADS;
    let b = index / (T * HEADS);
    let ko = rowOffset(b, j, h);
    var k : array<f32, DH>;
    var v : array<f32, DH>;
    for (var d = 0; d < DH; d++) { k[d] = kIn[ko + d]; v[d] = vIn[ko + d]; }
    let keyBias = (1.0 - maskIn[b * T + j]) * MASKED;
    var acc : array<f32, DH>;
    for (var i = 0; i < T; i++) {
      let qo = rowOffset(b, i, h);
      let row = (b * HEADS + h) * T + i;
      var dot = 0.0;
      for (var d = 0; d < DH; d++) { dot += qIn[qo + d] * k[d]; }
      let prob = exp(dot * SCALE + keyBias - stats[row * 2]);
      ${accumulate}
    }
    for (var d = 0; d < DH; d++) { result[ko + d] = acc[d] * ${finalScale}; }
  }`;
}
