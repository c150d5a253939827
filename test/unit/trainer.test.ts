import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusFromParts } from '../../src/cli/corpus-node';
import { diskSource } from '../../src/cli/disk-source';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { exportModel, loadModel } from '../../src/core/model-io';
import { memorySource } from '../../src/core/model-source';
import { AdamW, learningRate } from '../../src/core/train/adamw';
import { questionSampler, Trainer, TRAIN_DEFAULTS, type TrainConfig } from '../../src/core/train/trainer';
import { fixtureDir } from './helpers';

const corpus = loadCorpusFromParts();
const groups = corpus.questionGroups('train');
const config: TrainConfig = { ...TRAIN_DEFAULTS, batchSize: 4, steps: 1000, lr: 1e-3, warmupSteps: 5, languages: corpus.languages };
const tiny = () => loadModel(diskSource(fixtureDir('tiny-bert')), { maxLength: 16 });

describe('AdamW and the schedule', () => {
  beforeAll(async () => {
    await selectNodeBackend('cpu');
  });

  it('takes the textbook first step, with decoupled weight decay on weights only', () => {
    const w = tf.variable(tf.scalar(1), true, 'test.weight');
    const b = tf.variable(tf.scalar(1), true, 'test.bias');
    const opt = new AdamW(new Map([['w.weight', w], ['w.bias', b]]), { beta1: 0.9, beta2: 0.999, epsilon: 1e-6, weightDecay: 0.01 });
    opt.apply(new Map([['w.weight', tf.scalar(0.5)], ['w.bias', tf.scalar(0.5)]]), 0.1);
    // m̂ = g, v̂ = g², so the step is lr * g / (|g| + eps); the weight also shrinks by lr * decay.
    expect(w.dataSync()[0]).toBeCloseTo(1 * (1 - 0.1 * 0.01) - (0.1 * 0.5) / (0.5 + 1e-6), 6);
    expect(b.dataSync()[0]).toBeCloseTo(1 - (0.1 * 0.5) / (0.5 + 1e-6), 6);
    opt.dispose();
    tf.dispose([w, b]);
  });

  it('leaves no tensors behind once disposed', () => {
    const w = tf.tidy(() => tf.variable(tf.ones([3, 2]), true, 'test.leak.weight'));
    const g = tf.ones([3, 2]);
    const cycle = () => {
      const opt = new AdamW(new Map([['w.weight', w]]));
      opt.apply(new Map([['w.weight', g]]), 0.1);
      opt.dispose();
      return tf.memory().numTensors;
    };
    // The first cycle may leave tfjs's own one-time state; every optimizer after it must leave nothing.
    const afterFirst = cycle();
    expect(cycle()).toBe(afterFirst);
    expect(cycle()).toBe(afterFirst);
    tf.dispose([w, g]);
  });

  it('warms up linearly, then decays linearly to zero', () => {
    expect(learningRate(0, 1, 10, 110)).toBeCloseTo(0.1);
    expect(learningRate(9, 1, 10, 110)).toBeCloseTo(1);
    expect(learningRate(10, 1, 10, 110)).toBeCloseTo(1);
    expect(learningRate(60, 1, 10, 110)).toBeCloseTo(0.5);
    expect(learningRate(110, 1, 10, 110)).toBe(0);
  });
});

describe('the trainer', () => {
  beforeAll(async () => {
    await selectNodeBackend('wasm');
  });

  it('holds tf.memory().numTensors constant from step 10 to step 500', async () => {
    const model = await tiny();
    const trainer = Trainer.forQuestions(model.encoder, model.tokenizer, groups, config);
    let at10 = -1;
    while (trainer.step < 500) {
      const e = await trainer.trainStep();
      expect(Number.isFinite(e.loss)).toBe(true);
      if (e.step === 10) at10 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at10);
    trainer.dispose();
    model.encoder.dispose();
  });

  it('pauses, resumes and stops between steps', async () => {
    const model = await tiny();
    const trainer = Trainer.forQuestions(model.encoder, model.tokenizer, groups, { ...config, steps: 50 });
    const seen: number[] = [];
    const running = trainer.run((e) => {
      seen.push(e.step);
      if (e.step === 3) trainer.pause();
      if (e.step === 6) trainer.stop();
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([1, 2, 3]);
    trainer.resume();
    await running;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(trainer.done).toBe(true);
    trainer.dispose();
    model.encoder.dispose();
  });

  it('restores a checkpoint exactly: the resumed run matches the uninterrupted one bit for bit', async () => {
    const first = await tiny();
    const a = Trainer.forQuestions(first.encoder, first.tokenizer, groups, config);
    for (let i = 0; i < 7; i++) await a.trainStep();
    const modelFiles = await exportModel(first);
    const trainerFiles = await a.checkpoint();
    const lossesA: number[] = [];
    for (let i = 0; i < 5; i++) lossesA.push((await a.trainStep()).loss);

    const second = await loadModel(memorySource(modelFiles), { maxLength: 16 });
    const b = Trainer.restore(second.encoder, second.tokenizer, trainerFiles, (c, state) => questionSampler(groups, c, state));
    expect(b.step).toBe(7);
    const lossesB: number[] = [];
    for (let i = 0; i < 5; i++) lossesB.push((await b.trainStep()).loss);
    expect(lossesB).toEqual(lossesA);
    for (const [name, v] of first.encoder.params) {
      expect(Array.from(await second.encoder.params.get(name)!.data()), name).toEqual(Array.from(await v.data()));
    }
    a.dispose();
    b.dispose();
    first.encoder.dispose();
    second.encoder.dispose();
  });
});
