// Holds the encoder to an independent implementation: PyTorch's nn.TransformerEncoderLayer in float64
// (scripts/reference_bert.py), on tiny random checkpoints, on the cpu and wasm backends.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, beforeAll } from 'vitest';
import { diskSource } from '../../src/cli/disk-source';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { infoNceLoss } from '../../src/core/loss';
import { loadModel } from '../../src/core/model-io';
import { batchFromReference, fixtureDir, maxAbsDiff, readReference } from './helpers';

const TOLERANCE = 1e-4;

for (const backend of ['cpu', 'wasm'] as const) {
  for (const fixture of ['tiny-bert', 'tiny-xlmr']) {
    describe(`${fixture} on ${backend}`, () => {
      beforeAll(async () => {
        await selectNodeBackend(backend);
      });

      it('matches the reference hidden states and pooled embeddings within 1e-4', async () => {
        const ref = readReference(fixture);
        const model = await loadModel(diskSource(fixtureDir(fixture)));
        const out = tf.tidy(() => model.encoder.forward(batchFromReference(ref)));
        expect(out.lastHiddenState.shape).toEqual(ref.hidden_shape);
        expect(maxAbsDiff(await out.embeddingOutput.data(), ref.embedding_output)).toBeLessThan(TOLERANCE);
        expect(maxAbsDiff(await out.lastHiddenState.data(), ref.last_hidden_state)).toBeLessThan(TOLERANCE);
        expect(maxAbsDiff(await out.embeddings.data(), ref.pooled_normalized)).toBeLessThan(TOLERANCE);
        tf.dispose([out.embeddingOutput, out.lastHiddenState, out.embeddings]);
        model.encoder.dispose();
      });

      it('tokenizes the texts exactly as Hugging Face tokenizers (Rust) did', async () => {
        const ref = readReference(fixture);
        const model = await loadModel(diskSource(fixtureDir(fixture)));
        const batch = model.tokenizer.encodeBatch(ref.texts);
        expect(Array.from(batch.inputIds)).toEqual(ref.input_ids.flat());
        expect(Array.from(batch.attentionMask)).toEqual(ref.attention_mask.flat());
        model.encoder.dispose();
      });

      it('matches the reference gradients of the contrastive loss', async () => {
        const ref = readReference(fixture);
        const model = await loadModel(diskSource(fixtureDir(fixture)));
        const n = ref.loss.queries;
        const batch = batchFromReference(ref);
        const lossFn = () =>
          tf.tidy(() => {
            const e = model.encoder.forward(batch).embeddings;
            return infoNceLoss(e.slice([0, 0], [n, -1]), e.slice([n, 0], [n, -1]), ref.loss.temperature);
          });
        const { value, grads } = tf.variableGrads(lossFn, model.encoder.trainableVariables());
        expect(Math.abs((await value.data())[0]! - ref.loss.value)).toBeLessThan(TOLERANCE);
        for (const [name, expected] of Object.entries(ref.loss.gradients)) {
          const variable = model.encoder.params.get(name)!;
          const g = grads[variable.name]!;
          const scale = Math.max(1, ...expected.map(Math.abs));
          expect(maxAbsDiff(await g.data(), expected) / scale, name).toBeLessThan(TOLERANCE);
        }
        tf.dispose([value, ...Object.values(grads)]);
        model.encoder.dispose();
      });
    });
  }
}
