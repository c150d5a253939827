import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { BACKENDS, type BackendName } from '../core/backend';
import type { ParallelCorpus } from '../core/data/corpus';
import { STRATEGIES, type Strategy } from '../core/data/samplers';
import { exportModel, loadModel, type LoadedModel } from '../core/model-io';
import { questionSampler, Trainer, TRAIN_DEFAULTS, type StepEvent, type TrainConfig } from '../core/train/trainer';
import { fusedOption, parseOptions, positiveIntOption, UsageError } from './args';
import { loadCorpusFromParts } from './corpus-node';
import { diskSource, writeModelFolder } from './disk-source';
import { selectNodeBackend } from './node-backend';
import { DEFAULT_MODEL_DIR } from './paths';

export const TRAIN_HELP = `  train --strategy mono|cross|hybrid --out DIR [--alpha A] [--steps N] [--batch B] [--lr X]
        [--temperature T] [--seed S] [--warmup N] [--model DIR] [--languages ar,de,...]
        [--backend wasm|cpu|webgpu] [--max-length N] [--fused on|off] [--checkpoint-every N] [--stop-after N] [--resume]
                       Fine-tunes every parameter on the bundled corpus's train split with InfoNCE
                       over in-batch negatives (AdamW, warm-up + linear decay, clipping at norm 1).
                       Writes a Hugging Face model folder to --out (loadable by the app and embed)
                       and training_log.jsonl beside it; checkpoints (model + optimizer + sampler)
                       go to DIR/checkpoint every N steps (default 50), and --resume continues from
                       there exactly; --stop-after N checkpoints and exits after N steps (for runs
                       longer than a session). Defaults: hybrid, alpha ${TRAIN_DEFAULTS.alpha}, ${TRAIN_DEFAULTS.steps} steps, batch ${TRAIN_DEFAULTS.batchSize},
                       lr ${TRAIN_DEFAULTS.lr}, temperature ${TRAIN_DEFAULTS.temperature}, seed ${TRAIN_DEFAULTS.seed}, all 15 languages.`;

export const TRAIN_OPTIONS = ['strategy', 'alpha', 'steps', 'batch', 'lr', 'temperature', 'seed', 'warmup', 'model', 'languages', 'backend', 'max-length', 'fused'];

function numberOption(options: Map<string, string>, name: string, fallback: number, check: (x: number) => boolean, what: string): number {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (!Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} must be ${what}, got "${raw}"`);
  return x;
}

/** The training configuration from command-line options, with the defaults filled in. */
export function trainConfigFrom(options: Map<string, string>, allLanguages: string[]): TrainConfig {
  const strategy = (options.get('strategy') ?? TRAIN_DEFAULTS.strategy) as Strategy;
  if (!STRATEGIES.includes(strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}`);
  const languages = options.get('languages')?.split(',').map((l) => l.trim()).filter(Boolean) ?? allLanguages;
  const unknown = languages.filter((l) => !allLanguages.includes(l));
  if (unknown.length) throw new UsageError(`--languages: unknown ${unknown.join(', ')} (available: ${allLanguages.join(',')})`);
  const steps = positiveIntOption(options, 'steps', TRAIN_DEFAULTS.steps);
  return {
    strategy,
    alpha: numberOption(options, 'alpha', TRAIN_DEFAULTS.alpha, (x) => x >= 0 && x <= 1, 'between 0 and 1'),
    steps,
    batchSize: positiveIntOption(options, 'batch', TRAIN_DEFAULTS.batchSize),
    lr: numberOption(options, 'lr', TRAIN_DEFAULTS.lr, (x) => x > 0, 'positive'),
    warmupSteps: numberOption(options, 'warmup', Math.min(TRAIN_DEFAULTS.warmupSteps, Math.floor(steps / 10)), (x) => Number.isInteger(x) && x >= 0, 'a whole number'),
    weightDecay: TRAIN_DEFAULTS.weightDecay,
    clipNorm: TRAIN_DEFAULTS.clipNorm,
    temperature: numberOption(options, 'temperature', TRAIN_DEFAULTS.temperature, (x) => x > 0, 'positive'),
    seed: numberOption(options, 'seed', TRAIN_DEFAULTS.seed, (x) => Number.isInteger(x), 'an integer'),
    languages,
  };
}

export function backendOption(options: Map<string, string>): BackendName {
  const backend = (options.get('backend') ?? 'wasm') as BackendName;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`);
  return backend;
}

/** Progress for a terminal: one line every few seconds with step, loss, rate and ETA. */
export function progressPrinter(total: number, label = ''): (e: StepEvent) => void {
  const started = performance.now();
  let last = 0;
  return (e) => {
    const now = performance.now();
    if (now - last < 3000 && e.step !== total && e.step !== 1) return;
    last = now;
    const perStep = (now - started) / e.step;
    const eta = Math.round((perStep * (total - e.step)) / 1000);
    process.stderr.write(
      `${label}step ${e.step}/${total} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ` +
        `${e.pairsPerSecond.toFixed(1)} pairs/s ${Math.round(e.tokensPerSecond)} tokens/s ETA ${eta}s\n`,
    );
  };
}

/** The trainer files of a checkpoint folder, or null when there is none. */
export async function readCheckpoint(dir: string): Promise<Map<string, Uint8Array> | null> {
  if (!existsSync(path.join(dir, 'trainer_state.json'))) return null;
  const files = new Map<string, Uint8Array>();
  for (const f of ['trainer_state.json', 'optimizer.safetensors']) files.set(f, new Uint8Array(await fs.readFile(path.join(dir, f))));
  return files;
}

/**
 * Runs a trainer to the end of its budget, printing progress and, when a checkpoint folder is given,
 * saving model + optimizer + sampler there every `checkpointEvery` steps; with `stopAfter` it saves and
 * returns after that many steps of this invocation (for runs longer than a session).
 */
export async function runCheckpointed(
  trainer: Trainer,
  model: LoadedModel,
  options: { label?: string; checkpointDir?: string; checkpointEvery?: number; stopAfter?: number; onStep?: (e: StepEvent) => Promise<void> | void } = {},
): Promise<{ finished: boolean; step: number }> {
  const print = progressPrinter(trainer.config.steps, options.label);
  const ckpt = options.checkpointDir;
  const save = async () => {
    if (ckpt) await writeModelFolder(ckpt, new Map([...(await exportModel(model)), ...(await trainer.checkpoint())]));
  };
  let taken = 0;
  await trainer.run(async (e) => {
    await options.onStep?.(e);
    print(e);
    taken++;
    if (e.step >= trainer.config.steps) return;
    if (options.stopAfter !== undefined && taken >= options.stopAfter) {
      await save();
      trainer.stop();
    } else if (options.checkpointEvery && e.step % options.checkpointEvery === 0) {
      await save();
    }
  });
  return { finished: trainer.step >= trainer.config.steps, step: trainer.step };
}

/** Fine-tunes `model` in place on the corpus's train questions; shared by `train` and `experiment`. */
export async function trainModel(
  model: LoadedModel,
  config: TrainConfig,
  options: { corpus?: ParallelCorpus; label?: string; checkpointDir?: string; checkpointEvery?: number; resume?: boolean; stopAfter?: number } = {},
): Promise<{ log: StepEvent[]; finished: boolean; step: number }> {
  const corpus = (options.corpus ?? loadCorpusFromParts()).withLanguages(config.languages);
  const groups = corpus.questionGroups('train');
  const saved = options.resume && options.checkpointDir ? await readCheckpoint(options.checkpointDir) : null;
  const trainer = saved
    ? Trainer.restore(model.encoder, model.tokenizer, saved, (c, state) => questionSampler(groups, c, state))
    : Trainer.forQuestions(model.encoder, model.tokenizer, groups, config);
  if (saved) process.stderr.write(`${options.label ?? ''}resumed at step ${trainer.step}\n`);
  const log: StepEvent[] = [];
  const result = await runCheckpointed(trainer, model, { ...options, onStep: (e) => void log.push(e) });
  trainer.dispose();
  return { log, ...result };
}

export async function runTrain(argv: string[]): Promise<number> {
  const options = parseOptions(argv, [...TRAIN_OPTIONS, 'out', 'checkpoint-every', 'stop-after'], ['resume']);
  const out = options.get('out');
  if (!out) throw new UsageError('train needs --out DIR');
  const all = loadCorpusFromParts().languages;
  const config = trainConfigFrom(options, all);
  const backend = backendOption(options);
  const outDir = path.resolve(out);
  const checkpointDir = path.join(`${outDir}.checkpoint`);
  const resume = options.has('resume');
  const maxLength = positiveIntOption(options, 'max-length', 128);
  const info = await selectNodeBackend(backend);
  // On --resume the weights come from the checkpoint, which holds the model as it was at that step.
  const source = resume && existsSync(path.join(checkpointDir, 'trainer_state.json')) ? checkpointDir : path.resolve(options.get('model') ?? DEFAULT_MODEL_DIR);
  const model = await loadModel(diskSource(source), { maxLength });
  model.encoder.fused = fusedOption(options);
  process.stderr.write(`training ${model.name} on ${info.name}: ${JSON.stringify(config)}\n`);
  const started = performance.now();
  const stopAfter = options.has('stop-after') ? positiveIntOption(options, 'stop-after', 1) : undefined;
  const { log, finished, step } = await trainModel(model, config, {
    checkpointDir,
    checkpointEvery: positiveIntOption(options, 'checkpoint-every', 50),
    resume,
    stopAfter,
  });
  if (!finished) {
    model.encoder.dispose();
    process.stdout.write(`${JSON.stringify({ checkpoint: checkpointDir, step, steps: config.steps, resume: 'run again with --resume' })}\n`);
    return 0;
  }
  const files = await exportModel(model, { name: `${model.name}-${config.strategy}` });
  files.set('training_log.jsonl', new TextEncoder().encode(log.map((e) => JSON.stringify(e)).join('\n') + '\n'));
  files.set('training_config.json', new TextEncoder().encode(`${JSON.stringify({ ...config, base: source, backend: info.name }, null, 2)}\n`));
  await writeModelFolder(outDir, files);
  await fs.rm(checkpointDir, { recursive: true, force: true });
  model.encoder.dispose();
  const last = log[log.length - 1];
  process.stdout.write(`${JSON.stringify({ out: outDir, steps: last?.step ?? 0, loss: last?.loss ?? null, ms: Math.round(performance.now() - started), backend: info.name })}\n`);
  return 0;
}
