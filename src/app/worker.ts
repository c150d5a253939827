// The engine's Web Worker: model loading, training, evaluation, the map and search all run here, so
// the page never freezes. The page drives it through Comlink (see engine.ts).
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type BackendInfo, type BackendName } from '../core/backend';
import { loadCorpus, type ParallelCorpus, type Split } from '../core/data/corpus';
import type { Strategy } from '../core/data/samplers';
import { embedTexts } from '../core/embed';
import { corpusTask, evaluateRetrieval, type RetrievalReport, type RetrievalTask } from '../core/eval/retrieval';
import { exportModel, loadModel, type LoadedModel, type LoadProgress } from '../core/model-io';
import { filesSource, memorySource, urlSource, type ModelSource } from '../core/model-source';
import { Trainer, TRAIN_DEFAULTS, type StepEvent, type TrainConfig } from '../core/train/trainer';
import { pca2d } from './lab/projection';
import { SearchPool, type PoolHit } from './lab/search-pool';
import { InputRefused, parseUserPassages } from './lab/user-passages';

export interface ModelSummary {
  name: string;
  parameters: number;
  weightBytes: number;
  storageDtype: string;
  dim: number;
  maxLength: number;
  backend: BackendInfo;
  /** Whether the fused WebGPU kernels run (asked for, and the backend is webgpu). */
  fused: boolean;
}

export interface CorpusSummary {
  version: string;
  languages: string[];
  /** language -> split -> passages / questions */
  counts: Record<string, Record<Split, { passages: number; sentences: number; questions: number }>>;
}

export interface PassageView {
  id: string;
  title: string;
  topic: string;
  sentences: string[];
  questions: { text: string; answer: number }[];
}

/** What the user sets in the Train panel. */
export interface RunSettings {
  strategy: Strategy;
  alpha: number;
  lr: number;
  batchSize: number;
  steps: number;
  temperature: number;
  seed: number;
  languages: string[];
  /** Evaluate (and redraw the map) every this many steps; 0: only at the end. */
  evalEvery: number;
  /** Test questions used per evaluation (0: all), to keep evaluations short on slow machines. */
  evalQuestions: number;
}

export interface TrainingStep {
  run: string;
  step: number;
  steps: number;
  loss: number;
  lr: number;
  kind: StepEvent['kind'];
  queryLang: string;
  passageLang: string;
  pairsPerSecond: number;
  tokensPerSecond: number;
  /** Training time so far, pauses excluded. */
  elapsedMs: number;
  numBytes: number;
  numTensors: number;
}

export interface MapPoint {
  x: number;
  y: number;
  lang: string;
  /** The passage the sentence comes from: parallel sentences share it. */
  group: number;
  text: string;
}

export interface MapSnapshot {
  model: string;
  step: number;
  points: MapPoint[];
}

export type Phase = 'training' | 'paused' | 'evaluating' | 'indexing' | 'idle';

export interface RunCallbacks {
  onStep?: (e: TrainingStep) => void;
  onEval?: (run: string, step: number, report: RetrievalReport) => void;
  onMap?: (snapshot: MapSnapshot) => void;
  onPhase?: (phase: Phase, detail: string) => void;
}

export interface RunResult {
  run: string;
  settings: RunSettings;
  steps: number;
  stopped: boolean;
  finalLoss: number | null;
  losses: number[];
  report: RetrievalReport;
  base: RetrievalReport;
  ms: number;
}

export interface SearchResults {
  base: PoolHit[];
  /** Null until a fine-tuned model exists and the pool is indexed with it. */
  tuned: PoolHit[] | null;
  ms: number;
}

export interface PoolStatus {
  /** Languages of the corpus passages in the pool. */
  languages: string[];
  passages: number;
  sentences: number;
  user: number;
  indexedBase: number;
  indexedTuned: number;
  tunedExists: boolean;
}

/** Sentences per language on the map: the first sentence of this many test passages. */
const MAP_PASSAGES = 20;

let backend: BackendInfo | null = null;
let maxLength = 128;
let base: LoadedModel | null = null;
/** The base model's files, for fresh copies to fine-tune. */
let baseFiles: Map<string, Uint8Array> | null = null;
let baseGeneration = 0;
let tuned: LoadedModel | null = null;
let tunedLabel: string | null = null;
let corpus: ParallelCorpus | null = null;
let corpusUrl = '';
const pool = new SearchPool();
let poolReady: Promise<void> | null = null;
let trainer: Trainer | null = null;
let cancelAddition = false;
let previousComponents = new Map<string, [Float32Array, Float32Array]>();
const baseReports = new Map<string, RetrievalReport>();
/** Fused WebGPU kernels (src/core/kernels) for every model loaded; ?fused=0 turns them off. */
let fusedKernels = true;

async function ensureBackend(preference: BackendName | 'auto'): Promise<BackendInfo> {
  backend ??= await selectBackend(preference, {
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
  });
  return backend;
}

function summarise(m: LoadedModel, info: BackendInfo): ModelSummary {
  return {
    name: m.name,
    parameters: m.encoder.parameterCount(),
    weightBytes: m.weightBytes,
    storageDtype: m.storageDtype,
    dim: m.config.hiddenSize,
    maxLength: m.tokenizer.maxLength,
    backend: info,
    fused: fusedKernels && info.name === 'webgpu',
  };
}

function discardTuned(): void {
  tuned?.encoder.dispose();
  tuned = null;
  tunedLabel = null;
  pool.forget('tuned');
}

/** Loads a model; the current one is replaced only once the new one has loaded completely. */
async function load(source: ModelSource, preference: BackendName | 'auto', onProgress: (p: LoadProgress) => void): Promise<ModelSummary> {
  if (trainer) throw new Error('stop the training before loading another model');
  const info = await ensureBackend(preference);
  const loaded = await loadModel(source, { onProgress, maxLength });
  loaded.encoder.fused = fusedKernels;
  const files = await exportModel(loaded);
  base?.encoder.dispose();
  discardTuned();
  base = loaded;
  baseFiles = files;
  baseGeneration++;
  baseReports.clear();
  previousComponents = new Map();
  pool.forget('base');
  return summarise(loaded, info);
}

/** A zip's files, relative to the folder that holds config.json. */
function unzipModel(bytes: Uint8Array): Map<string, Uint8Array> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new Error(`not a zip file (${(e as Error).message})`);
  }
  const config = Object.keys(entries).filter((p) => p === 'config.json' || p.endsWith('/config.json')).sort((a, b) => a.length - b.length)[0];
  if (!config) throw new Error('the zip holds no config.json: it is not a Hugging Face model folder');
  const prefix = config.slice(0, -'config.json'.length);
  const files = new Map<string, Uint8Array>();
  for (const [p, data] of Object.entries(entries)) if (p.startsWith(prefix) && !p.endsWith('/')) files.set(p.slice(prefix.length), data);
  return files;
}

function requireBase(): LoadedModel {
  if (!base) throw new Error('no model loaded');
  return base;
}

function requireCorpus(): ParallelCorpus {
  if (!corpus) throw new Error('the corpus is not loaded yet');
  return corpus;
}

async function embed(m: LoadedModel, texts: string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array> {
  return (await embedTexts(m.encoder, m.tokenizer, texts, { batchSize: 32, onProgress: onProgress && ((p) => onProgress(p.done, p.total)) })).vectors;
}

/** Embeds whatever part of the pool a model has not embedded yet. */
async function indexPoolWith(key: 'base' | 'tuned', m: LoadedModel, onProgress?: (done: number, total: number) => void): Promise<void> {
  const { from, texts } = pool.missing(key);
  if (texts.length === 0) return;
  const vectors = await embed(m, texts, (done, total) => {
    if (cancelAddition) throw new InputRefused('indexing cancelled');
    onProgress?.(done, total);
  });
  pool.setVectors(key, from, vectors, m.config.hiddenSize);
}

/** Indexing of the whole pool, one at a time: searches wait for the running one. */
function indexPool(onProgress?: (done: number, total: number) => void): Promise<void> {
  const previous = poolReady ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      if (base) await indexPoolWith('base', base, onProgress);
      if (tuned && !trainer) await indexPoolWith('tuned', tuned, onProgress);
    });
  poolReady = next;
  return next;
}

function evaluationTask(languages: string[], questions: number): RetrievalTask {
  const task = corpusTask(requireCorpus().withLanguages(languages), 'test');
  return questions > 0 ? { ...task, queries: task.queries.slice(0, questions) } : task;
}

async function evaluate(m: LoadedModel, languages: string[], questions: number): Promise<RetrievalReport> {
  return evaluateRetrieval(m.encoder, m.tokenizer, evaluationTask(languages, questions), { batchSize: 32 });
}

async function baseReport(languages: string[], questions: number): Promise<RetrievalReport> {
  const key = `${baseGeneration}|${languages.join(',')}|${questions}`;
  let report = baseReports.get(key);
  if (!report) {
    report = await evaluate(requireBase(), languages, questions);
    baseReports.set(key, report);
  }
  return report;
}

/** The map's sentences: the first sentence of the first test passages, in each language. */
function mapSentences(languages: string[]): { texts: string[]; langs: string[]; groups: number[] } {
  const c = requireCorpus();
  const texts: string[] = [];
  const langs: string[] = [];
  const groups: number[] = [];
  for (const lang of languages) {
    c.passagesOf('test', lang)
      .slice(0, MAP_PASSAGES)
      .forEach((p, i) => {
        texts.push(p.sentences[0]!);
        langs.push(lang);
        groups.push(i);
      });
  }
  return { texts, langs, groups };
}

async function project(m: LoadedModel, key: string, languages: string[], step: number): Promise<MapSnapshot> {
  const { texts, langs, groups } = mapSentences(languages);
  const vectors = await embed(m, texts);
  const dim = m.config.hiddenSize;
  const { xs, ys, components } = pca2d(vectors, texts.length, dim, previousComponents.get(key) ?? previousComponents.get('base'));
  previousComponents.set(key, components);
  return { model: key, step, points: texts.map((text, i) => ({ x: xs[i]!, y: ys[i]!, lang: langs[i]!, group: groups[i]!, text })) };
}

function trainConfig(s: RunSettings): TrainConfig {
  return {
    strategy: s.strategy,
    alpha: s.alpha,
    steps: s.steps,
    batchSize: s.batchSize,
    lr: s.lr,
    // As the CLI does: a tenth of the budget (at most the default) to warm up.
    warmupSteps: Math.min(TRAIN_DEFAULTS.warmupSteps, Math.floor(s.steps / 10)),
    weightDecay: TRAIN_DEFAULTS.weightDecay,
    clipNorm: TRAIN_DEFAULTS.clipNorm,
    temperature: s.temperature,
    seed: s.seed,
    languages: s.languages,
  };
}

function checkSettings(s: RunSettings): void {
  const all = requireCorpus().languages;
  const unknown = s.languages.filter((l) => !all.includes(l));
  if (unknown.length) throw new Error(`unknown languages: ${unknown.join(', ')}`);
  if (s.strategy !== 'mono' && s.languages.length < 2) throw new Error(`the ${s.strategy} strategy needs at least two languages`);
  if (!(s.steps >= 1 && Number.isInteger(s.steps))) throw new Error('steps must be a whole number of at least 1');
  if (!(s.lr > 0)) throw new Error('the learning rate must be positive');
  if (!(s.temperature > 0)) throw new Error('the temperature must be positive');
}

/**
 * One fine-tuning run on a fresh copy of the base model: the same procedure as the CLI's train and
 * experiment commands, observed step by step, evaluated on the test split every `evalEvery` steps.
 */
async function runOnce(run: string, settings: RunSettings, callbacks: RunCallbacks): Promise<{ model: LoadedModel; result: RunResult }> {
  checkSettings(settings);
  const c = requireCorpus().withLanguages(settings.languages);
  const baseModel = requireBase();
  const started = performance.now();
  callbacks.onPhase?.('evaluating', 'the base model, for the before/after comparison');
  const before = await baseReport(settings.languages, settings.evalQuestions);
  callbacks.onEval?.(`${run}`, 0, before);
  callbacks.onMap?.(await project(baseModel, 'base', settings.languages, 0));
  const model = await loadModel(memorySource(baseFiles!, baseModel.source), { maxLength });
  model.encoder.fused = fusedKernels;
  const t = Trainer.forQuestions(model.encoder, model.tokenizer, c.questionGroups('train'), trainConfig(settings));
  trainer = t;
  const losses: number[] = [];
  let trainingMs = 0;
  let report = before;
  try {
    callbacks.onPhase?.('training', run);
    await t.run(async (e) => {
      // On wasm and cpu a step never leaves the microtask queue; without a macrotask break here the
      // page's pause, stop and search messages would wait for the end of the run.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      trainingMs += e.ms;
      losses.push(e.loss);
      callbacks.onStep?.({
        run,
        step: e.step,
        steps: settings.steps,
        loss: e.loss,
        lr: e.lr,
        kind: e.kind,
        queryLang: e.queryLang,
        passageLang: e.passageLang,
        pairsPerSecond: e.pairsPerSecond,
        tokensPerSecond: e.tokensPerSecond,
        elapsedMs: trainingMs,
        numBytes: e.numBytes,
        numTensors: e.numTensors,
      });
      const last = e.step >= settings.steps;
      if (!last && settings.evalEvery > 0 && e.step % settings.evalEvery === 0) {
        callbacks.onPhase?.('evaluating', `${run}, step ${e.step}`);
        report = await evaluate(model, settings.languages, settings.evalQuestions);
        callbacks.onEval?.(run, e.step, report);
        callbacks.onMap?.(await project(model, 'tuned', settings.languages, e.step));
        callbacks.onPhase?.('training', run);
      }
    });
    callbacks.onPhase?.('evaluating', `${run}, final`);
    report = await evaluate(model, settings.languages, settings.evalQuestions);
    callbacks.onEval?.(run, t.step, report);
    callbacks.onMap?.(await project(model, 'tuned', settings.languages, t.step));
  } catch (e) {
    model.encoder.dispose();
    throw e;
  } finally {
    t.dispose();
    trainer = null;
  }
  const result: RunResult = {
    run,
    settings,
    steps: t.step,
    stopped: t.step < settings.steps,
    finalLoss: losses.length ? losses[losses.length - 1]! : null,
    losses,
    report,
    base: before,
    ms: performance.now() - started,
  };
  return { model, result };
}

const engine = {
  /** Fused WebGPU kernels on or off for this and later models (they run on the webgpu backend only). */
  setFused(on: boolean): void {
    fusedKernels = on;
    for (const m of [base, tuned]) if (m) m.encoder.fused = on;
  },

  /** A model folder served over HTTP(S): the bundled one, or any URL the user gives. */
  loadFromUrl(modelUrl: string, preference: BackendName | 'auto', onProgress: (p: LoadProgress) => void): Promise<ModelSummary> {
    return load(urlSource(modelUrl), preference, onProgress);
  },

  /** A model folder the user picked (the files of an <input webkitdirectory>). */
  loadFromFiles(files: File[], label: string, preference: BackendName | 'auto', onProgress: (p: LoadProgress) => void): Promise<ModelSummary> {
    return load(filesSource(files, label), preference, onProgress);
  },

  /** A model saved by Export as a zip. */
  async loadFromZip(bytes: Uint8Array, label: string, preference: BackendName | 'auto', onProgress: (p: LoadProgress) => void): Promise<ModelSummary> {
    return load(memorySource(unzipModel(bytes), label), preference, onProgress);
  },

  /** Longest token sequence per text from now on (smaller is faster); applies to the next load. */
  setMaxLength(tokens: number): void {
    if (!(Number.isInteger(tokens) && tokens >= 8)) throw new Error('the maximum length must be a whole number of at least 8');
    maxLength = tokens;
  },

  /**
   * The bundled corpus (under `url`), and the test split's passages as the search pool: in every
   * language, or in `poolLanguages` only, and the first `poolPerLanguage` passages of each (a smaller
   * pool indexes faster on slow machines).
   */
  async loadCorpus(url: string, poolLanguages?: string[], poolPerLanguage?: number): Promise<CorpusSummary> {
    if (!corpus || corpusUrl !== url) {
      const base = url.endsWith('/') ? url : `${url}/`;
      corpus = await loadCorpus(async (file) => {
        const response = await fetch(new URL(file, base));
        if (!response.ok) throw new Error(`${base}${file}: HTTP ${response.status}`);
        return response.text();
      });
      corpusUrl = url;
      const inPool = poolLanguages?.length ? corpus.languages.filter((l) => poolLanguages.includes(l)) : corpus.languages;
      const passages = inPool.flatMap((lang) =>
        corpus!
          .passagesOf('test', lang)
          .slice(0, poolPerLanguage && poolPerLanguage > 0 ? poolPerLanguage : undefined)
          .map((p) => ({ id: `${p.id}-${lang}`, lang, title: p.title, sentences: p.sentences, origin: 'corpus' as const })),
      );
      pool.add(passages);
    }
    const counts: CorpusSummary['counts'] = {};
    for (const lang of corpus.languages) {
      counts[lang] = {} as CorpusSummary['counts'][string];
      for (const split of ['train', 'dev', 'test'] as Split[]) {
        const ps = corpus.passagesOf(split, lang);
        counts[lang][split] = { passages: ps.length, sentences: ps.reduce((a, p) => a + p.sentences.length, 0), questions: ps.reduce((a, p) => a + p.questions.length, 0) };
      }
    }
    return { version: corpus.version, languages: corpus.languages, counts };
  },

  /** One passage of a split, in one language. */
  passage(split: Split, lang: string, index: number): PassageView & { total: number } {
    const list = requireCorpus().passagesOf(split, lang);
    const p = list[Math.max(0, Math.min(index, list.length - 1))];
    if (!p) throw new Error(`the ${split} split has no passages`);
    return { id: p.id, title: p.title, topic: p.topic, sentences: p.sentences, questions: p.questions.map((q) => ({ text: q.text, answer: q.answer })), total: list.length };
  },

  /** Embeds the pool with every model that lacks it; progress is sentences done / to do. */
  async indexPool(onProgress?: (done: number, total: number) => void): Promise<PoolStatus> {
    cancelAddition = false;
    await indexPool(onProgress);
    return engine.poolStatus();
  },

  poolStatus(): PoolStatus {
    return { ...pool.counts(), indexedBase: pool.indexed('base'), indexedTuned: pool.indexed('tuned'), tunedExists: tuned !== null };
  },

  /**
   * Adds pasted text or a file's passages to the pool and indexes them. Refuses with a clear message
   * what is too large or malformed; nothing is added in that case.
   */
  async addPassages(input: { text?: string; file?: File }, lang: string, onProgress: (done: number, total: number) => void): Promise<{ passages: number; sentences: number }> {
    const text = input.file ? await input.file.text() : (input.text ?? '');
    const added = parseUserPassages(text, input.file?.name ?? null, lang, `user${pool.counts().user + 1}`);
    pool.add(added.map((p) => ({ ...p, origin: 'user' as const })));
    cancelAddition = false;
    try {
      await indexPool(onProgress);
    } catch (e) {
      if (e instanceof InputRefused) throw new Error('indexing was cancelled: the passages are kept and will be indexed on the next addition or search');
      throw e;
    }
    return { passages: added.length, sentences: added.reduce((a, p) => a + p.sentences.length, 0) };
  },

  cancelIndexing(): void {
    cancelAddition = true;
  },

  async search(query: string, k: number): Promise<SearchResults> {
    const started = performance.now();
    const b = requireBase();
    const qb = await embed(b, [query]);
    const baseHits = pool.search('base', qb, k);
    let tunedHits: PoolHit[] | null = null;
    if (tuned && pool.indexed('tuned') > 0) tunedHits = pool.search('tuned', await embed(tuned, [query]), k);
    return { base: baseHits, tuned: tunedHits, ms: performance.now() - started };
  },

  /** Test-split metrics of the base model (cached) or the fine-tuned one. */
  async evaluate(which: 'base' | 'tuned', languages: string[], questions: number): Promise<RetrievalReport> {
    if (which === 'base') return baseReport(languages, questions);
    if (!tuned) throw new Error('there is no fine-tuned model yet');
    return evaluate(tuned, languages, questions);
  },

  async map(which: 'base' | 'tuned', languages: string[]): Promise<MapSnapshot> {
    const m = which === 'tuned' && tuned ? tuned : requireBase();
    return project(m, which, languages, 0);
  },

  /** Fine-tunes a fresh copy of the base model; it becomes the fine-tuned model searched and exported. */
  async train(run: string, settings: RunSettings, callbacks: RunCallbacks): Promise<RunResult> {
    if (trainer) throw new Error('a training run is already going');
    const { model, result } = await runOnce(run, settings, callbacks);
    discardTuned();
    tuned = model;
    tunedLabel = `${requireBase().name}-${settings.strategy}`;
    callbacks.onPhase?.('indexing', 'the search pool with the fine-tuned model');
    await indexPool();
    callbacks.onPhase?.('idle', '');
    return result;
  },

  /**
   * The paper's comparison, as the CLI's experiment command runs it: mono, cross and hybrid one after
   * another from the same base model, with the same budget and seed. Each run's model is discarded.
   */
  async compare(prefix: string, settings: RunSettings, callbacks: RunCallbacks & { onRun?: (r: RunResult) => void }): Promise<RunResult[]> {
    if (trainer) throw new Error('a training run is already going');
    const results: RunResult[] = [];
    for (const strategy of ['mono', 'cross', 'hybrid'] as Strategy[]) {
      const { model, result } = await runOnce(`${prefix} ${strategy}`, { ...settings, strategy }, callbacks);
      model.encoder.dispose();
      results.push(result);
      callbacks.onRun?.(result);
      if (result.stopped) break;
    }
    callbacks.onPhase?.('idle', '');
    return results;
  },

  pause(): void {
    trainer?.pause();
  },
  resume(): void {
    trainer?.resume();
  },
  stop(): void {
    trainer?.stop();
  },

  /** The fine-tuned model (or the base one when there is none) as a zipped Hugging Face folder. */
  async exportZip(dtype: 'F32' | 'F16'): Promise<{ name: string; bytes: Uint8Array }> {
    const m = tuned ?? requireBase();
    const name = tuned ? tunedLabel! : m.name;
    const files = await exportModel(m, { dtype, name });
    const entries: Record<string, Uint8Array> = {};
    for (const [path, data] of files) entries[`${name}/${path}`] = data;
    const bytes = zipSync(entries, { level: 6 });
    return Comlink.transfer({ name, bytes }, [bytes.buffer as ArrayBuffer]);
  },

  /** The same folder as file name -> bytes, for saving into a folder the user picks. */
  async exportFiles(dtype: 'F32' | 'F16'): Promise<{ name: string; files: Record<string, Uint8Array> }> {
    const m = tuned ?? requireBase();
    const name = tuned ? tunedLabel! : m.name;
    return { name, files: Object.fromEntries(await exportModel(m, { dtype, name })) };
  },

  memory(): { numTensors: number; numBytes: number; numBytesInGPU?: number } {
    const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
    return { numTensors: m.numTensors, numBytes: m.numBytes, numBytesInGPU: m.numBytesInGPU };
  },
};

export type Engine = typeof engine;
Comlink.expose(engine);
