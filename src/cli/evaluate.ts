import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import type { ParallelCorpus, Split } from '../core/data/corpus';
import { corpusTask, evaluateRetrieval, type RetrievalReport, type RetrievalTask } from '../core/eval/retrieval';
import { xquadTask } from '../core/eval/xquad';
import type { LoadedModel } from '../core/model-io';
import { loadModel } from '../core/model-io';
import { fusedOption, parseOptions, positiveIntOption, UsageError } from './args';
import { loadCorpusFromParts } from './corpus-node';
import { diskSource } from './disk-source';
import { selectNodeBackend } from './node-backend';
import { DEFAULT_MODEL_DIR, REPO_ROOT } from './paths';
import { backendOption } from './train';

export const DEFAULT_XQUAD_DIR = path.resolve(REPO_ROOT, '../shared/eval/xquad-r-dev');

export const EVAL_HELP = `  eval [--model DIR] [--split test|dev|train] [--xquad-r DIR] [--languages ar,de,...]
       [--backend wasm|cpu|webgpu] [--max-length N] [--fused on|off]
                       Retrieval metrics as JSON: mono, cross and multi mAP, rank distance, the
                       language x language mAP matrix, Recall@1/5/10 and nDCG@10, on the bundled
                       corpus split (default test) and on a folder of XQuAD-R files (<lang>.json)
                       when --xquad-r is given (or ../shared/eval/xquad-r-dev exists; --xquad-r none
                       skips it).`;

/** Reads every <lang>.json of an XQuAD-R folder. */
export async function readXquadFolder(dir: string): Promise<RetrievalTask> {
  const names = (await fs.readdir(dir)).filter((f) => /^[a-z]{2}\.json$/.test(f));
  if (names.length === 0) throw new Error(`${dir}: no <lang>.json files`);
  const files: Record<string, string> = {};
  for (const f of names) files[f.slice(0, 2)] = await fs.readFile(path.join(dir, f), 'utf8');
  return xquadTask(files, `xquad-r:${path.basename(dir)}`);
}

export async function evaluateAll(model: LoadedModel, tasks: RetrievalTask[], label = ''): Promise<RetrievalReport[]> {
  const reports: RetrievalReport[] = [];
  for (const task of tasks) {
    process.stderr.write(`${label}evaluating ${task.name}: ${task.queries.length} questions x ${task.languages.length} languages\n`);
    reports.push(await evaluateRetrieval(model.encoder, model.tokenizer, task, { batchSize: 64 }));
  }
  return reports;
}

/** The tasks named by --split / --xquad-r / --languages. */
export async function tasksFrom(options: Map<string, string>, corpus: ParallelCorpus = loadCorpusFromParts()): Promise<RetrievalTask[]> {
  const split = (options.get('split') ?? 'test') as Split;
  if (!['train', 'dev', 'test'].includes(split)) throw new UsageError('--split must be train, dev or test');
  const languages = options.get('languages')?.split(',').map((l) => l.trim()) ?? corpus.languages;
  const tasks = [corpusTask(corpus.withLanguages(languages), split)];
  const requested = options.get('xquad-r');
  const xquadDir = requested === 'none' ? undefined : (requested ?? (existsSync(DEFAULT_XQUAD_DIR) ? DEFAULT_XQUAD_DIR : undefined));
  if (xquadDir) tasks.push(await readXquadFolder(path.resolve(xquadDir)));
  else if (requested !== 'none') process.stderr.write('XQuAD-R not evaluated: no --xquad-r and ../shared/eval/xquad-r-dev is absent\n');
  return tasks;
}

export async function runEval(argv: string[]): Promise<number> {
  const options = parseOptions(argv, ['model', 'split', 'xquad-r', 'languages', 'backend', 'max-length', 'fused']);
  const info = await selectNodeBackend(backendOption(options));
  const model = await loadModel(diskSource(path.resolve(options.get('model') ?? DEFAULT_MODEL_DIR)), { maxLength: positiveIntOption(options, 'max-length', 128) });
  model.encoder.fused = fusedOption(options);
  const reports = await evaluateAll(model, await tasksFrom(options));
  model.encoder.dispose();
  process.stdout.write(`${JSON.stringify({ model: model.name, backend: info.name, reports }, null, 2)}\n`);
  return 0;
}
