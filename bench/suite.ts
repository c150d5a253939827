// One backend's share of the benchmark, the same in Node and in Chromium: the large-matmul rate,
// training steps (stock and, on webgpu, fused kernels), embedding, search and memory, as planned.
import * as tf from '@tensorflow/tfjs';
import type { ModelShape } from './synthetic';
import {
  measureEmbedding,
  measureMatmulPeak,
  measureMemory,
  measureSearch,
  measureTraining,
  type EmbeddingResult,
  type MatmulResult,
  type MemoryResult,
  type SearchResult,
  type TokenizerFiles,
  type TrainingResult,
} from './workloads';

export interface BackendPlan {
  /** tf.matMul n x n x n for the backend's own peak rate. */
  matmulSize: number;
  /** [batch, length] training shapes. */
  training: [number, number][];
  /** Measured steps per shape (after one warm-up step). */
  steps: number;
  /** Kernel variants to train with: stock tfjs only, or stock and fused (webgpu). */
  variants: boolean[];
  /** Texts to embed (0: skip), and their length; on webgpu stock kernels embed fewer (they are slow). */
  embedCount: number;
  stockEmbedCount: number;
  embedLength: number;
  /** Passage pool sizes for search latency (empty: skip), and queries per pool. */
  searchPools: number[];
  searchQueries: number;
  /** Training steps watched for memory growth (0: skip), at [batch, length]. */
  memorySteps: number;
  memoryShape: [number, number];
}

export interface BackendReport {
  environment: string;
  backend: string;
  adapter: string | null;
  matmul: MatmulResult;
  training: TrainingResult[];
  embedding: (EmbeddingResult & { fused: boolean })[];
  search: (SearchResult & { fused: boolean })[];
  memory: MemoryResult[];
}

/** Runs the plan on the active backend; `log` reports progress (the slow parts take minutes). */
export async function runBackendSuite(
  environment: string,
  adapter: string | null,
  shape: ModelShape,
  tokenizer: TokenizerFiles,
  plan: BackendPlan,
  log: (line: string) => void,
): Promise<BackendReport> {
  const backend = tf.getBackend();
  const tag = `[${environment} ${backend}]`;
  const matmul = await measureMatmulPeak(plan.matmulSize);
  log(`${tag} matmul ${plan.matmulSize}^3: ${matmul.gflops.toFixed(2)} GFLOP/s`);
  const training: TrainingResult[] = [];
  for (const [batch, length] of plan.training) {
    for (const fused of plan.variants) {
      const r = await measureTraining(shape, tokenizer, batch, length, fused, plan.steps);
      log(`${tag} train b=${batch} t=${length} ${fused ? 'fused' : 'stock'}: ${r.msPerStep.toFixed(0)} ms/step`);
      training.push(r);
    }
  }
  // Embedding and search with the kernels the product uses on this backend: fused where there are any.
  const productFused = plan.variants.includes(true);
  const embedding: BackendReport['embedding'] = [];
  if (plan.embedCount > 0) {
    for (const fused of plan.variants) {
      const count = productFused && !fused ? plan.stockEmbedCount : plan.embedCount;
      const r = await measureEmbedding(shape, tokenizer, count, plan.embedLength, fused);
      log(`${tag} embed ${count} x ${plan.embedLength} ${fused ? 'fused' : 'stock'}: ${r.sentencesPerSecond.toFixed(1)} sentences/s`);
      embedding.push({ ...r, fused });
    }
  }
  const search: BackendReport['search'] = [];
  if (plan.searchPools.length > 0) {
    for (const r of await measureSearch(shape, tokenizer, plan.searchPools, plan.searchQueries, productFused)) {
      log(`${tag} search ${r.passages}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`);
      search.push({ ...r, fused: productFused });
    }
  }
  const memory: MemoryResult[] = [];
  if (plan.memorySteps > 0) {
    const r = await measureMemory(shape, tokenizer, plan.memoryShape[0], plan.memoryShape[1], productFused, plan.memorySteps);
    log(`${tag} memory over ${r.steps} steps: tensors ${r.tensorsAfterFirst} -> ${r.tensorsAfterLast}, bytes ${r.bytesAfterFirst} -> ${r.bytesAfterLast}`);
    memory.push(r);
  }
  return { environment, backend, adapter, matmul, training, embedding, search, memory };
}
