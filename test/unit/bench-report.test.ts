// The benchmark's arithmetic and verdicts: FLOP counting, percentiles, and the target table.
import { describe, expect, it } from 'vitest';
import { targetsOf, type BenchReport } from '../../bench/report';
import type { BackendReport } from '../../bench/suite';
import { percentile, trainingFlops, type TrainingResult } from '../../bench/workloads';

function training(batch: number, length: number, fused: boolean, msPerStep: number, gflops: number): TrainingResult {
  return { batch, length, fused, steps: 1, msPerStep, pairsPerSecond: (batch * 1000) / msPerStep, flopsPerStep: 0, gflops, loss: 1 };
}

function backend(name: string, peak: number, rows: TrainingResult[], extra: Partial<BackendReport> = {}): BackendReport {
  return { environment: 'node', backend: name, adapter: null, matmul: { n: 64, ms: 1, gflops: peak }, training: rows, embedding: [], search: [], memory: [], ...extra };
}

function report(backends: BackendReport[]): BenchReport {
  return { command: 'npm run bench', date: '', mode: 'quick', model: { hidden: 64, layers: 2, heads: 4, intermediate: 256, vocab: 23312 }, machine: { cpus: 2, cpuModel: '', node: '', chromium: null, tfjs: '' }, seconds: 1, backends, targets: [] };
}

describe('bench arithmetic', () => {
  it('counts a layer as projections, feed-forward and attention, backward twice forward', () => {
    const s = { hidden: 8, layers: 1, heads: 2, intermediate: 16, vocab: 10 };
    // Per token: 2*8*(4*8 + 2*16) = 1024 for the matmuls, 4*4*8 = 128 for attention at length 4.
    expect(trainingFlops(s, 3, 4)).toBe(3 * (1024 + 128) * 3 * 4);
    expect(trainingFlops({ ...s, layers: 2 }, 3, 4)).toBe(2 * trainingFlops(s, 3, 4));
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });
});

describe('bench targets', () => {
  it('needs 2x at every shape for the fused kernels', () => {
    const gpu = backend('webgpu', 1, [training(8, 32, false, 300, 0), training(8, 32, true, 100, 0), training(32, 64, false, 300, 0), training(32, 64, true, 200, 0)]);
    const [t] = targetsOf(report([gpu]));
    expect(t!.reached).toBe('b8/t32 3.00x, b32/t64 1.50x');
    expect(t!.met).toBe(false);
  });

  it('judges wasm against its own matmul rate and search p95 at 10,000 passages', () => {
    const search = [{ passages: 10000, queries: 10, p50: 10, p95: 49, rankP50: 1, fused: false }];
    const wasm = backend('wasm', 10, [training(8, 32, false, 100, 4), training(32, 64, false, 100, 6)], { search });
    const targets = targetsOf(report([wasm]));
    expect(targets.map((t) => t.met)).toEqual([true, true]);
    expect(targets[0]!.reached).toBe('b8/t32 40.0%, b32/t64 60.0%');
  });

  it('flags any growth in tensors or bytes', () => {
    const memory = { steps: 200, batch: 8, length: 32, fused: false, tensorsAfterFirst: 10, tensorsAfterLast: 10, bytesAfterFirst: 100, bytesAfterLast: 104, peakBytes: 104, peakBytesInStep: 300, maxTensors: 10 };
    const [t] = targetsOf(report([backend('cpu', 1, [], { memory: [memory] })]));
    expect(t!.met).toBe(false);
  });
});
