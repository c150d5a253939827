// WGSL for the sum over rows of a [rows, columns] matrix: the gradient of a bias added to every row.
// One invocation per column walking down the rows; tfjs's Sum over axis 0 transposes first and then
// reduces with workgroup barriers, which on SwiftShader cost more than the arithmetic.

export interface ColumnSumShape {
  rows: number;
  columns: number;
}

export function columnSumWgsl(s: ColumnSumShape): string {
  return `
  const ROWS = ${s.rows};
  const COLS = ${s.columns};
  fn main(index : i32) {
    if (index >= uniforms.threads) { return; }
    var acc = 0.0;
    for (var r = 0; r < ROWS; r++) { acc += xIn[r * COLS + index]; }
    result[index] = acc;
  }`;
}
