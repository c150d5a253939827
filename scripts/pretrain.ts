// Pretrains the project's own multilingual base encoder (npm run pretrain), reproducibly and resumably:
//   1. the tokenizer (scripts/train-tokenizer.mjs) on the train split's passage sentences;
//   2. a BERT initialised with seeded random weights;
//   3. translation ranking (two languages per batch, in-batch negatives, both directions, as in LaBSE)
//      over the train split's parallel passage sentences and CLDR's localized names
//      (scripts/pretrain-data.mjs), each batch from one source, on the wasm backend, with checkpoints;
//   4. export in the Hugging Face layout (float16) and a report: bitext P@1 between English and each
//      language on the test split's sentences, and zero-shot XQuAD-R when ../shared/eval is present.
// It never sees questions, dev or test passages during training, nor ../shared/eval.
//
//   npx tsx scripts/pretrain.ts [--steps 3000] [--batch 32] [--lr 5e-4] [--hidden 128] [--layers 4]
//       [--vocab 16000] [--cldr-weight 0.4] [--seed 1] [--work build/pretrain] [--out models/polyglot-base]
//       [--stop-after N] [--checkpoint-every 100] [--max-length 64] [--export-at end|checkpoint]
// --export-at checkpoint evaluates and exports the last checkpoint as it is, without training further
// (the report records the step reached): for a run that must end before its budget.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { loadCorpusFromParts } from '../src/cli/corpus-node';
import { diskSource, writeModelFolder } from '../src/cli/disk-source';
import { DEFAULT_XQUAD_DIR, evaluateAll, readXquadFolder } from '../src/cli/evaluate';
import { selectNodeBackend } from '../src/cli/node-backend';
import { REPO_ROOT } from '../src/cli/paths';
import { readCheckpoint, runCheckpointed } from '../src/cli/train';
import { parseConfig } from '../src/core/config';
import { BitextSampler, MixedSampler, parallelSentences, type MixedState, type ParallelSentence } from '../src/core/data/bitext';
import { evaluateBitext } from '../src/core/eval/bitext';
import { randomWeights } from '../src/core/init';
import { exportModel, loadModel, type LoadedModel } from '../src/core/model-io';
import { serializeSafetensors } from '../src/core/safetensors';
import { Trainer, TRAIN_DEFAULTS, type TrainConfig } from '../src/core/train/trainer';

function options() {
  const o = { steps: 3000, batch: 32, lr: 5e-4, hidden: 128, layers: 4, vocab: 16000, cldrWeight: 0.4, seed: 1, work: 'build/pretrain', out: 'models/polyglot-base', stopAfter: 0, checkpointEvery: 100, maxLength: 64, exportAt: 'end' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof o;
    if (!(key in o) || argv[i + 1] === undefined) throw new Error(`unknown option or missing value: ${argv[i]}`);
    (o as Record<string, number | string>)[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1]!;
  }
  return { ...o, work: path.resolve(REPO_ROOT, o.work), out: path.resolve(REPO_ROOT, o.out) };
}

const json = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

/**
 * Sentences cut into groups of similar length (longest translation, in characters): a batch drawn from
 * one group is padded to about its own length rather than to the longest of random sentences, which
 * here nearly halves the tokens computed per step.
 */
function lengthBuckets(sentences: ParallelSentence[], size: number): ParallelSentence[][] {
  const longest = new Map(sentences.map((s) => [s, Math.max(...Object.values(s.texts).map((t) => t.length))]));
  const sorted = [...sentences].sort((a, b) => longest.get(a)! - longest.get(b)! || (a.id < b.id ? -1 : 1));
  const count = Math.max(1, Math.floor(sorted.length / size));
  return Array.from({ length: count }, (_, i) => sorted.slice(Math.floor((i * sorted.length) / count), Math.floor(((i + 1) * sorted.length) / count)));
}

const cldrFile = (o: ReturnType<typeof options>) => path.join(o.work, 'cldr.json');

/** CLDR's names in all 15 languages (scripts/pretrain-data.mjs), extracted once into the work folder. */
async function cldrGroups(o: ReturnType<typeof options>): Promise<ParallelSentence[]> {
  if (!existsSync(cldrFile(o))) {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/pretrain-data.mjs'), '--out', cldrFile(o)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the CLDR pretraining data failed');
  }
  return (JSON.parse(await fs.readFile(cldrFile(o), 'utf8')) as { groups: ParallelSentence[] }).groups;
}

/** Tokenizer + random weights in the Hugging Face layout: the starting point, made once. */
async function initialModel(o: ReturnType<typeof options>): Promise<string> {
  const dir = path.join(o.work, 'init');
  if (existsSync(path.join(dir, 'model.safetensors'))) return dir;
  const tokDir = path.join(o.work, 'tokenizer');
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/train-tokenizer.mjs'), '--out', tokDir, '--vocab', String(o.vocab), '--extra', cldrFile(o)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tokenizer training failed');
  const report = JSON.parse(await fs.readFile(path.join(tokDir, 'tokenizer-report.json'), 'utf8')) as { chosen: number; sizes: Record<string, { vocabSize: number }> };
  const vocabSize = report.sizes[String(report.chosen)]!.vocabSize;
  const raw = {
    _name_or_path: path.basename(o.out),
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocabSize,
    hidden_size: o.hidden,
    num_hidden_layers: o.layers,
    num_attention_heads: Math.max(1, o.hidden / 64),
    intermediate_size: 4 * o.hidden,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: 128,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    initializer_range: 0.02,
  };
  const files = new Map<string, Uint8Array>([
    ['config.json', json(raw)],
    ['tokenizer.json', new Uint8Array(await fs.readFile(path.join(tokDir, 'tokenizer.json')))],
    ['tokenizer_config.json', new Uint8Array(await fs.readFile(path.join(tokDir, 'tokenizer_config.json')))],
    ['tokenizer-report.json', new Uint8Array(await fs.readFile(path.join(tokDir, 'tokenizer-report.json')))],
    ['model.safetensors', serializeSafetensors(randomWeights(parseConfig(raw), o.seed))],
  ]);
  await writeModelFolder(dir, files);
  return dir;
}

async function main() {
  const o = options();
  await selectNodeBackend('wasm');
  const corpus = loadCorpusFromParts();
  const train = parallelSentences(corpus, 'train');
  const test = parallelSentences(corpus, 'test');
  const cldr = await cldrGroups(o);
  const checkpoint = path.join(o.work, 'checkpoint');
  const resuming = existsSync(path.join(checkpoint, 'trainer_state.json'));
  const model: LoadedModel = await loadModel(diskSource(resuming ? checkpoint : await initialModel(o)), { maxLength: o.maxLength });
  const config: TrainConfig = {
    ...TRAIN_DEFAULTS,
    strategy: 'cross',
    steps: o.steps,
    batchSize: o.batch,
    lr: o.lr,
    warmupSteps: Math.min(200, Math.floor(o.steps / 10)),
    seed: o.seed,
    languages: corpus.languages,
    symmetric: true,
  };
  const makeSampler = (c: TrainConfig, state?: unknown) => {
    const parts = (state as MixedState | undefined)?.parts;
    return new MixedSampler(
      [
        { sampler: new BitextSampler(cldr, { batchSize: c.batchSize, seed: c.seed + 1, languages: c.languages }, parts?.[0]), weight: o.cldrWeight },
        ...lengthBuckets(train, 4 * c.batchSize).map((bucket, i) => ({
          sampler: new BitextSampler(bucket, { batchSize: c.batchSize, seed: c.seed + 10 + i, languages: c.languages }, parts?.[i + 1]),
          weight: ((1 - o.cldrWeight) * bucket.length) / train.length,
        })),
      ],
      c.seed + 2,
      state,
    );
  };
  const saved = resuming ? await readCheckpoint(checkpoint) : null;
  const trainer = saved ? Trainer.restore(model.encoder, model.tokenizer, saved, makeSampler) : new Trainer(model.encoder, model.tokenizer, makeSampler(config), config);
  if (saved) process.stderr.write(`resumed at step ${trainer.step}\n`);
  process.stderr.write(`pretraining ${model.encoder.parameterCount().toLocaleString('en')} parameters on ${train.length} parallel sentences and ${cldr.length} CLDR names x ${corpus.languages.length} languages\n`);
  const logFile = path.join(o.work, 'log.jsonl');
  const started = performance.now();
  if (o.exportAt !== 'end' && o.exportAt !== 'checkpoint') throw new Error('--export-at must be end or checkpoint');
  if (o.exportAt === 'checkpoint' && !saved) throw new Error(`--export-at checkpoint: no checkpoint in ${checkpoint}`);
  if (o.exportAt === 'end') await runCheckpointed(trainer, model, {
    checkpointDir: checkpoint,
    checkpointEvery: o.checkpointEvery,
    stopAfter: o.stopAfter || undefined,
    onStep: (e) => fs.appendFile(logFile, `${JSON.stringify(e)}\n`),
  });
  if (o.exportAt === 'end' && trainer.step < trainer.config.steps) {
    process.stdout.write(`${JSON.stringify({ checkpoint, step: trainer.step, steps: trainer.config.steps, resume: 'run again to continue' })}\n`);
    return;
  }
  const bitext = await evaluateBitext(model.encoder, model.tokenizer, test, corpus.languages);
  const reports = existsSync(DEFAULT_XQUAD_DIR) ? await evaluateAll(model, [await readXquadFolder(DEFAULT_XQUAD_DIR)]) : [];
  const files = await exportModel(model, { dtype: 'F16', name: path.basename(o.out) });
  const report = {
    parameters: model.encoder.parameterCount(),
    bytes: files.get('model.safetensors')!.byteLength,
    steps: trainer.step,
    plannedSteps: trainer.config.steps,
    minutesThisRun: (performance.now() - started) / 60000,
    options: o,
    bitextTestP1: bitext,
    xquad: reports.map((r) => ({ task: r.task, mono: r.mono, cross: r.cross, multi: r.multi, rankDistance: r.rankDistance })),
  };
  files.set('pretrain-report.json', json(report));
  files.set('tokenizer-report.json', new Uint8Array(await fs.readFile(path.join(o.work, 'tokenizer/tokenizer-report.json'))));
  await writeModelFolder(o.out, files);
  trainer.dispose();
  process.stdout.write(`${JSON.stringify({ out: o.out, bitextP1: bitext.mean, xquad: report.xquad })}\n`);
}

await main();
