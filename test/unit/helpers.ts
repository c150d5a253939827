import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtureDir = (name: string) => path.join(repoRoot, 'test/fixtures', name);

export interface Reference {
  input_ids: number[][];
  attention_mask: number[][];
  texts: string[];
  hidden_shape: [number, number, number];
  embedding_output: number[];
  last_hidden_state: number[];
  pooled_normalized: number[];
  loss: { temperature: number; queries: number; value: number; gradients: Record<string, number[]> };
  decoded: { f16: number[]; bf16: number[] };
}

export function readReference(name: string): Reference {
  return JSON.parse(fs.readFileSync(path.join(fixtureDir(name), 'reference.json'), 'utf8')) as Reference;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function batchFromReference(ref: Reference) {
  const [b, t] = ref.hidden_shape;
  return {
    batchSize: b,
    length: t,
    inputIds: Int32Array.from(ref.input_ids.flat()),
    attentionMask: Int32Array.from(ref.attention_mask.flat()),
  };
}

/** Runs the CLI (src/cli/main.ts) as a separate process, as `npm run cli --` does. */
export function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(repoRoot, 'src/cli/main.ts'), ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
