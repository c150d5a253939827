import * as tf from '@tensorflow/tfjs';
import type { QuestionGroup } from '../data/corpus';
import { BatchSampler, type Batch, type SamplerState, type Strategy } from '../data/samplers';
import type { Encoder } from '../encoder';
import { infoNceLoss, symmetricInfoNceLoss } from '../loss';
import { parseSafetensors, serializeSafetensors, type NamedTensor } from '../safetensors';
import type { Tokenizer } from '../tokenizer';
import { AdamW, ADAMW_DEFAULTS, learningRate } from './adamw';

export interface TrainConfig {
  strategy: Strategy;
  alpha: number;
  steps: number;
  batchSize: number;
  lr: number;
  /** Warm-up steps (linear), then linear decay to zero. */
  warmupSteps: number;
  weightDecay: number;
  /** Gradients are scaled down when their global L2 norm exceeds this. */
  clipNorm: number;
  temperature: number;
  seed: number;
  languages: string[];
  /** Score both directions (query->passage and passage->query), as in translation ranking. */
  symmetric?: boolean;
}

/** Where the batches come from: question-passage batches, or parallel sentences for pretraining. */
export interface PairSampler {
  next(): Batch;
  state(): unknown;
}

export const TRAIN_DEFAULTS: Omit<TrainConfig, 'languages'> = {
  strategy: 'hybrid',
  alpha: 0.5,
  steps: 200,
  batchSize: 32,
  // Measured on the bundled base (README, "The paper's comparison"): 1e-4 for 100 steps moves every QA metric.
  lr: 1e-4,
  warmupSteps: 20,
  weightDecay: ADAMW_DEFAULTS.weightDecay,
  clipNorm: 1.0,
  temperature: 0.05,
  seed: 42,
};

export interface StepEvent {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  kind: Batch['kind'];
  queryLang: string;
  passageLang: string;
  pairsPerSecond: number;
  tokensPerSecond: number;
  ms: number;
  numTensors: number;
  numBytes: number;
}

/**
 * Fine-tunes every parameter of an encoder with InfoNCE over in-batch negatives, one step at a time,
 * so that the app and the CLI can both drive and observe it. Between steps it can pause, resume or
 * stop, and write a checkpoint (model, optimizer and sampler state) that restores exactly.
 */
export class Trainer {
  readonly optimizer: AdamW;
  step = 0;
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    readonly encoder: Encoder,
    readonly tokenizer: Tokenizer,
    readonly sampler: PairSampler,
    readonly config: TrainConfig,
  ) {
    this.optimizer = new AdamW(encoder.params, { ...ADAMW_DEFAULTS, weightDecay: config.weightDecay });
  }

  /** Fine-tuning on question groups with the configured batch strategy. */
  static forQuestions(encoder: Encoder, tokenizer: Tokenizer, groups: QuestionGroup[], config: TrainConfig, samplerState?: SamplerState): Trainer {
    return new Trainer(encoder, tokenizer, questionSampler(groups, config, samplerState), config);
  }

  get done(): boolean {
    return this.step >= this.config.steps || this.stopped;
  }

  /** One optimisation step on the next batch. */
  async trainStep(): Promise<StepEvent> {
    const started = performance.now();
    const batch = this.sampler.next();
    const queries = this.tokenizer.encodeBatch(batch.pairs.map((p) => p.query));
    const passages = this.tokenizer.encodeBatch(batch.pairs.map((p) => p.passage));
    const vars = this.encoder.trainableVariables();
    const { value, grads } = tf.variableGrads(
      () =>
        tf.tidy(() => {
          const q = this.encoder.forward(queries).embeddings;
          const p = this.encoder.forward(passages).embeddings;
          return this.config.symmetric ? symmetricInfoNceLoss(q, p, this.config.temperature) : infoNceLoss(q, p, this.config.temperature);
        }),
      vars,
    );
    const byName = new Map<string, tf.Tensor>();
    for (const [name, v] of this.encoder.params) byName.set(name, grads[v.name]!);
    // Summed pairwise, not with tf.addN: on WebGPU an AddN of every gradient binds one buffer per input,
    // past the 8 storage buffers a shader may have (Dawn rejects it and the whole submit is dropped).
    const gradNormT = tf.tidy(() => [...byName.values()].map((g) => g.square().sum()).reduce((a, b) => a.add(b)).sqrt());
    const gradNorm = (await gradNormT.data())[0]!;
    gradNormT.dispose();
    const scale = gradNorm > this.config.clipNorm ? this.config.clipNorm / gradNorm : 1;
    const clipped = scale === 1 ? byName : new Map([...byName].map(([n, g]) => [n, g.mul(scale)]));
    const lr = learningRate(this.step, this.config.lr, this.config.warmupSteps, this.config.steps);
    this.optimizer.apply(clipped, lr);
    const loss = (await value.data())[0]!;
    tf.dispose([value, ...Object.values(grads), ...(scale === 1 ? [] : [...clipped.values()])]);
    this.step++;
    const ms = performance.now() - started;
    const tokens = queries.attentionMask.reduce((a, b) => a + b, 0) + passages.attentionMask.reduce((a, b) => a + b, 0);
    const memory = tf.memory();
    return {
      step: this.step,
      loss,
      lr,
      gradNorm,
      kind: batch.kind,
      queryLang: batch.queryLang,
      passageLang: batch.passageLang,
      pairsPerSecond: (batch.pairs.length * 1000) / ms,
      tokensPerSecond: (tokens * 1000) / ms,
      ms,
      numTensors: memory.numTensors,
      numBytes: memory.numBytes,
    };
  }

  /** Trains until the step budget is spent or stop() is called; waits while paused. */
  async run(onStep?: (e: StepEvent) => void | Promise<void>): Promise<void> {
    while (!this.done) {
      if (this.paused) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const event = await this.trainStep();
      await onStep?.(event);
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
    this.wake = null;
  }

  stop(): void {
    this.stopped = true;
    this.resume();
  }

  /** Optimizer moments, step counts and sampler state; the model itself is exported separately. */
  async checkpoint(): Promise<Map<string, Uint8Array>> {
    const moments: NamedTensor[] = [];
    for (const [name, t] of this.optimizer.m) moments.push({ name: `m.${name}`, shape: t.shape, data: (await t.data()) as Float32Array });
    for (const [name, t] of this.optimizer.v) moments.push({ name: `v.${name}`, shape: t.shape, data: (await t.data()) as Float32Array });
    const state = { step: this.step, optimizerStep: this.optimizer.step, sampler: this.sampler.state(), config: this.config };
    return new Map([
      ['optimizer.safetensors', serializeSafetensors(moments)],
      ['trainer_state.json', new TextEncoder().encode(`${JSON.stringify(state)}\n`)],
    ]);
  }

  /**
   * A trainer that continues exactly where `files` (from checkpoint()) left off, on an encoder holding
   * the checkpoint's weights; `makeSampler` rebuilds the sampler from its saved state.
   */
  static restore(
    encoder: Encoder,
    tokenizer: Tokenizer,
    files: Map<string, Uint8Array>,
    makeSampler: (config: TrainConfig, state: unknown) => PairSampler,
  ): Trainer {
    const stateBytes = files.get('trainer_state.json');
    const momentBytes = files.get('optimizer.safetensors');
    if (!stateBytes || !momentBytes) throw new Error('checkpoint: trainer_state.json or optimizer.safetensors is missing');
    const state = JSON.parse(new TextDecoder().decode(stateBytes)) as { step: number; optimizerStep: number; sampler: unknown; config: TrainConfig };
    const trainer = new Trainer(encoder, tokenizer, makeSampler(state.config, state.sampler), state.config);
    const moments = parseSafetensors(momentBytes, 'optimizer.safetensors').tensors;
    for (const [kind, store] of [['m', trainer.optimizer.m], ['v', trainer.optimizer.v]] as const) {
      for (const [name, variable] of store) {
        const t = moments.get(`${kind}.${name}`);
        if (!t) throw new Error(`checkpoint: optimizer.safetensors has no ${kind}.${name}`);
        tf.tidy(() => variable.assign(tf.tensor(t.data, t.shape)));
      }
    }
    trainer.step = state.step;
    trainer.optimizer.step = state.optimizerStep;
    return trainer;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** The question-group sampler for a fine-tuning configuration (mono, cross or hybrid batches). */
export function questionSampler(groups: QuestionGroup[], config: TrainConfig, state?: unknown): BatchSampler {
  return new BatchSampler(
    groups,
    { strategy: config.strategy, alpha: config.alpha, batchSize: config.batchSize, seed: config.seed, languages: config.languages },
    state as SamplerState | undefined,
  );
}
