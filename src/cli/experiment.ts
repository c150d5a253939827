import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RetrievalReport } from '../core/eval/retrieval';
import { loadModel } from '../core/model-io';
import type { Strategy } from '../core/data/samplers';
import { fusedOption, parseOptions, positiveIntOption } from './args';
import { loadCorpusFromParts } from './corpus-node';
import { diskSource } from './disk-source';
import { evaluateAll, tasksFrom } from './evaluate';
import { selectNodeBackend } from './node-backend';
import { DEFAULT_MODEL_DIR, REPO_ROOT } from './paths';
import { backendOption, trainConfigFrom, trainModel } from './train';

export const EXPERIMENT_HELP = `  experiment [--steps N] [--seeds K] [--batch B] [--lr X] [--alpha A] [--model DIR]
             [--out DIR] [--split test] [--xquad-r DIR] [--backend wasm|cpu|webgpu] [--fused on|off]
                       The paper's comparison: from the same base model, with the same budget and
                       seeds, trains mono, cross and hybrid batching and prints the table (mono,
                       cross, multi mAP, rank distance; the base model first) on the corpus test
                       split and on XQuAD-R when present. Writes results.json and results.csv to
                       --out (default runs/experiment-<time>). Defaults: 60 steps, 1 seed, batch 16.`;

const STRATEGY_ROWS: Strategy[] = ['mono', 'cross', 'hybrid'];

interface Row {
  model: string;
  seed: number | null;
  task: string;
  mono: number;
  cross: number;
  multi: number;
  rankDistance: number;
}

function rowOf(model: string, seed: number | null, r: RetrievalReport): Row {
  return { model, seed, task: r.task, mono: r.mono, cross: r.cross, multi: r.multi, rankDistance: r.rankDistance };
}

/** Mean and (sample) standard deviation of each column over seeds, per model and task. */
function summarise(rows: Row[]): string {
  const lines: string[] = [];
  for (const task of [...new Set(rows.map((r) => r.task))]) {
    lines.push(`\n${task}`);
    lines.push(`${'model'.padEnd(10)} ${'mono mAP'.padStart(16)} ${'cross mAP'.padStart(16)} ${'multi mAP'.padStart(16)} ${'rank dist.'.padStart(16)}`);
    for (const model of ['base', ...STRATEGY_ROWS]) {
      const rs = rows.filter((r) => r.task === task && r.model === model);
      if (!rs.length) continue;
      const cell = (k: 'mono' | 'cross' | 'multi' | 'rankDistance', digits: number) => {
        const xs = rs.map((r) => r[k]);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
        return `${mean.toFixed(digits)}${xs.length > 1 ? ` ±${sd.toFixed(digits)}` : ''}`.padStart(16);
      };
      lines.push(`${model.padEnd(10)} ${cell('mono', 4)} ${cell('cross', 4)} ${cell('multi', 4)} ${cell('rankDistance', 1)}`);
    }
  }
  return lines.join('\n');
}

export async function runExperiment(argv: string[]): Promise<number> {
  const options = parseOptions(argv, ['steps', 'seeds', 'batch', 'lr', 'alpha', 'model', 'out', 'split', 'xquad-r', 'backend', 'max-length', 'temperature', 'fused']);
  if (!options.has('steps')) options.set('steps', '60');
  if (!options.has('batch')) options.set('batch', '16');
  const seeds = positiveIntOption(options, 'seeds', 1);
  const maxLength = positiveIntOption(options, 'max-length', 128);
  const base = path.resolve(options.get('model') ?? DEFAULT_MODEL_DIR);
  const out = path.resolve(options.get('out') ?? path.join(REPO_ROOT, 'runs', `experiment-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  const info = await selectNodeBackend(backendOption(options));
  // One read of the corpus for the whole experiment, so every run sees the same data.
  const corpus = loadCorpusFromParts();
  const tasks = await tasksFrom(options, corpus);
  const languages = corpus.languages;
  const started = performance.now();
  const rows: Row[] = [];
  const runs: unknown[] = [];

  const fused = fusedOption(options);
  const baseModel = await loadModel(diskSource(base), { maxLength });
  baseModel.encoder.fused = fused;
  for (const r of await evaluateAll(baseModel, tasks, '[base] ')) rows.push(rowOf('base', null, r));
  baseModel.encoder.dispose();

  for (let s = 0; s < seeds; s++) {
    for (const strategy of STRATEGY_ROWS) {
      const config = trainConfigFrom(new Map([...options, ['strategy', strategy]]), languages);
      config.seed += s;
      const model = await loadModel(diskSource(base), { maxLength });
      model.encoder.fused = fused;
      const label = `[${strategy} seed ${config.seed}] `;
      const { log } = await trainModel(model, config, { label, corpus });
      const reports = await evaluateAll(model, tasks, label);
      for (const r of reports) rows.push(rowOf(strategy, config.seed, r));
      runs.push({ strategy, config, finalLoss: log[log.length - 1]?.loss, reports });
      model.encoder.dispose();
    }
  }
  const table = summarise(rows);
  await fs.mkdir(out, { recursive: true });
  const data = { passages: corpus.passagesOf('train').length + corpus.passagesOf('dev').length + corpus.passagesOf('test').length, version: corpus.version };
  await fs.writeFile(path.join(out, 'results.json'), `${JSON.stringify({ base, backend: info.name, options: Object.fromEntries(options), data, rows, runs }, null, 1)}\n`);
  const csv = ['model,seed,task,mono,cross,multi,rank_distance', ...rows.map((r) => [r.model, r.seed ?? '', r.task, r.mono, r.cross, r.multi, r.rankDistance].join(','))];
  await fs.writeFile(path.join(out, 'results.csv'), `${csv.join('\n')}\n`);
  process.stdout.write(`${table}\n\n`);
  process.stdout.write(`${JSON.stringify({ out, minutes: +((performance.now() - started) / 60000).toFixed(1), backend: info.name })}\n`);
  return 0;
}
