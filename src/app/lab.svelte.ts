// The page's state and its conversation with the worker. Components read this state and call these
// actions; all heavy work happens in the worker (worker.ts).
import { proxy } from 'comlink';
import type { BackendName } from '../core/backend';
import type { RetrievalReport } from '../core/eval/retrieval';
import { DEFAULT_MODEL } from '../core/defaults';
import { startEngine } from './engine';
import type { CorpusSummary, MapSnapshot, ModelSummary, Phase, PoolStatus, RunCallbacks, RunResult, RunSettings, SearchResults, TrainingStep } from './worker';

export interface LoadState {
  file: string;
  loaded: number;
  total: number | null;
}

export interface EvaluationPoint {
  run: string;
  step: number;
  report: RetrievalReport;
}

function numberParam(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  if (raw === null) return null;
  const x = Number(raw);
  return Number.isFinite(x) ? x : null;
}

export class Lab {
  readonly engine = startEngine();
  readonly preference: BackendName | 'auto';

  summary = $state<ModelSummary | null>(null);
  progress = $state<LoadState | null>(null);
  modelError = $state<string | null>(null);
  loading = $state(true);
  memory = $state<{ numTensors: number; numBytes: number; numBytesInGPU?: number } | null>(null);

  corpus = $state<CorpusSummary | null>(null);
  pool = $state<PoolStatus | null>(null);
  indexing = $state<{ done: number; total: number } | null>(null);

  settings = $state<RunSettings>({
    strategy: 'hybrid',
    alpha: 0.5,
    lr: 1e-4, // TRAIN_DEFAULTS.lr (not imported: the trainer module would pull tfjs into the page)
    batchSize: 16,
    steps: 60,
    temperature: 0.05,
    seed: 42,
    languages: [],
    evalEvery: 10,
    evalQuestions: 0,
  });
  phase = $state<Phase>('idle');
  phaseDetail = $state('');
  trainError = $state<string | null>(null);
  /** The steps of the run being shown (the current one, or the last). */
  // Results from the worker are replaced, never edited in place: raw state spares the main thread
  // from wrapping every report and point in proxies during training.
  steps = $state.raw<TrainingStep[]>([]);
  evaluations = $state.raw<EvaluationPoint[]>([]);
  baseReport = $state.raw<RetrievalReport | null>(null);
  map = $state.raw<MapSnapshot | null>(null);
  /** Counts map updates, so that the chart (and the tests) can tell a new picture from the old one. */
  mapVersion = $state(0);
  /** Count every step and evaluation received, across runs, so that charts redraw on each. */
  stepVersion = $state(0);
  evaluationVersion = $state(0);
  /** Every finished run of this page's life, for comparison. */
  runs = $state.raw<RunResult[]>([]);
  private runCounter = 0;
  private urlLanguages: string[] | undefined;
  private poolPerLanguage: number | undefined;

  constructor() {
    const params = new URLSearchParams(location.search);
    // ?backend=wasm|cpu|webgpu forces a backend (for comparison, or as a safety valve); default: best available.
    const requested = params.get('backend');
    this.preference = requested === 'webgpu' || requested === 'wasm' || requested === 'cpu' ? requested : 'auto';
    // URL overrides of the defaults, for slow machines and tests: ?maxLength=32&steps=3&batch=4&lr=0.001&evalEvery=1&evalQuestions=20&langs=en,ru,zh (langs also narrows the search pool; &pool=N keeps N test passages per language in it)
    // ?fused=0 runs tfjs's stock WebGPU kernels instead of the fused ones (comparison, safety valve).
    if (params.get('fused') === '0') void this.engine.setFused(false);
    const maxLength = numberParam(params, 'maxLength');
    if (maxLength) void this.engine.setMaxLength(maxLength);
    const s = this.settings;
    s.steps = numberParam(params, 'steps') ?? s.steps;
    s.lr = numberParam(params, 'lr') ?? s.lr;
    s.batchSize = numberParam(params, 'batch') ?? s.batchSize;
    s.evalEvery = numberParam(params, 'evalEvery') ?? s.evalEvery;
    s.evalQuestions = numberParam(params, 'evalQuestions') ?? s.evalQuestions;
    this.poolPerLanguage = numberParam(params, 'pool') ?? undefined;
    const langs = params.get('langs');
    if (langs) this.urlLanguages = s.languages = langs.split(',').map((l) => l.trim()).filter(Boolean);
  }

  get ready(): boolean {
    return this.summary !== null && this.corpus !== null && !this.loading;
  }

  get training(): boolean {
    return this.phase !== 'idle';
  }

  private readonly onProgress = proxy((p: LoadState) => {
    this.progress = p;
  });

  private readonly onIndexProgress = proxy((done: number, total: number) => {
    this.indexing = { done, total };
    // Partial progress is searchable: refresh the counts every few batches.
    if (done === total || done % 512 < 32) void this.engine.poolStatus().then((p) => (this.pool = p));
  });

  async start(): Promise<void> {
    const corpusUrl = new URL('data/corpus/', document.baseURI).href;
    const modelUrl = new URL(`models/${DEFAULT_MODEL}/`, document.baseURI).href;
    try {
      // Languages chosen in the URL (?langs=) also narrow the search pool; by default it holds all of them.
      this.corpus = await this.engine.loadCorpus(corpusUrl, this.urlLanguages, this.poolPerLanguage);
      if (this.settings.languages.length === 0) this.settings.languages = [...this.corpus.languages];
    } catch (e) {
      this.modelError = `the bundled corpus did not load: ${(e as Error).message}`;
    }
    await this.use(() => this.engine.loadFromUrl(modelUrl, this.preference, this.onProgress));
    setInterval(() => void this.refreshMemory(), 2000);
  }

  async refreshMemory(): Promise<void> {
    this.memory = await this.engine.memory();
  }

  /** Loads a model and indexes the pool with it; on failure the previous model stays in use. */
  async use(load: () => Promise<ModelSummary>): Promise<void> {
    this.loading = true;
    this.modelError = null;
    this.progress = null;
    try {
      this.summary = await load();
      // The new model has indexed nothing yet: no stale "indexed" state in between.
      this.pool = await this.engine.poolStatus();
      this.baseReport = null;
      this.evaluations = [];
      this.steps = [];
      this.map = null;
      void this.refreshMemory();
    } catch (e) {
      this.modelError = (e as Error).message;
    } finally {
      this.loading = false;
    }
    // The pool is indexed in the background: the page is usable meanwhile, and search covers what is done.
    void this.reindex();
  }

  loadFolder(files: File[], label: string): Promise<void> {
    return this.use(() => this.engine.loadFromFiles(files, label, this.preference, this.onProgress));
  }

  loadUrl(url: string): Promise<void> {
    return this.use(() => this.engine.loadFromUrl(url, this.preference, this.onProgress));
  }

  async loadZip(file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return this.use(() => this.engine.loadFromZip(bytes, file.name.replace(/\.zip$/i, ''), this.preference, this.onProgress));
  }

  async reindex(): Promise<void> {
    try {
      this.pool = await this.engine.indexPool(this.onIndexProgress);
    } catch (e) {
      this.modelError = `indexing the search pool failed: ${(e as Error).message}`;
    } finally {
      this.indexing = null;
      this.pool = await this.engine.poolStatus();
    }
  }

  /** Every sentence of the pool is embedded by the base model (and by the fine-tuned one, if any). */
  get indexed(): boolean {
    const p = this.pool;
    return p !== null && p.indexedBase === p.sentences && (!p.tunedExists || p.indexedTuned === p.sentences);
  }

  /** The worker's view of this page during a run; one Comlink proxy (Comlink proxies only top-level arguments). */
  private callbacks(onRun?: (r: RunResult) => void): RunCallbacks & { onRun?: (r: RunResult) => void } {
    return proxy({
      onStep: (e: TrainingStep) => {
        this.steps = e.step === 1 ? [e] : [...this.steps, e];
        this.stepVersion++;
      },
      onEval: (run: string, step: number, report: RetrievalReport) => {
        if (step === 0) this.baseReport = report;
        this.evaluations = step === 0 ? [{ run, step, report }] : [...this.evaluations, { run, step, report }];
        this.evaluationVersion++;
      },
      onMap: (snapshot: MapSnapshot) => {
        this.map = snapshot;
        this.mapVersion++;
      },
      onPhase: (phase: Phase, detail: string) => {
        this.phase = phase;
        this.phaseDetail = detail;
      },
      onRun: (r: RunResult) => {
        onRun?.(r);
      },
    });
  }

  private snapshotSettings(): RunSettings {
    return { ...$state.snapshot(this.settings) };
  }

  async train(): Promise<void> {
    this.trainError = null;
    this.phase = 'training';
    const run = `run ${++this.runCounter}: ${this.settings.strategy}`;
    try {
      const result = await this.engine.train(run, this.snapshotSettings(), this.callbacks());
      this.runs = [...this.runs, result];
      this.pool = await this.engine.poolStatus();
    } catch (e) {
      this.trainError = (e as Error).message;
    } finally {
      this.phase = 'idle';
    }
  }

  async compare(): Promise<void> {
    this.trainError = null;
    this.phase = 'training';
    const prefix = `comparison ${++this.runCounter}:`;
    try {
      await this.engine.compare(prefix, this.snapshotSettings(), this.callbacks((r) => (this.runs = [...this.runs, r])));
    } catch (e) {
      this.trainError = (e as Error).message;
    } finally {
      this.phase = 'idle';
    }
  }

  pause(): void {
    this.phase = 'paused';
    void this.engine.pause();
  }

  resume(): void {
    this.phase = 'training';
    void this.engine.resume();
  }

  stop(): void {
    void this.engine.resume();
    void this.engine.stop();
  }

  search(query: string, k = 10): Promise<SearchResults> {
    return this.engine.search(query, k);
  }

  async addPassages(input: { text?: string; file?: File }, lang: string): Promise<{ passages: number; sentences: number }> {
    try {
      return await this.engine.addPassages(input, lang, this.onIndexProgress);
    } finally {
      this.indexing = null;
      this.pool = await this.engine.poolStatus();
    }
  }
}
