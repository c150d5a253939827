// The backward pass against central finite differences of the contrastive loss, on a tiny model:
// independent of any reference implementation, it checks every op's gradient as tfjs composes them.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { diskSource } from '../../src/cli/disk-source';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { infoNceLoss } from '../../src/core/loss';
import { loadModel } from '../../src/core/model-io';
import { batchFromReference, fixtureDir, readReference } from './helpers';

const PARAMETERS = [
  'embeddings.word_embeddings.weight',
  'embeddings.position_embeddings.weight',
  'embeddings.LayerNorm.bias',
  'encoder.layer.0.attention.self.query.weight',
  'encoder.layer.0.attention.self.value.bias',
  'encoder.layer.0.attention.output.LayerNorm.weight',
  'encoder.layer.1.intermediate.dense.weight',
  'encoder.layer.1.output.dense.bias',
];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`gradients on ${backend}`, () => {
    beforeAll(async () => {
      await selectNodeBackend(backend);
    });

    it('match central finite differences of the InfoNCE loss', async () => {
      const ref = readReference('tiny-bert');
      const model = await loadModel(diskSource(fixtureDir('tiny-bert')));
      const batch = batchFromReference(ref);
      const n = ref.loss.queries;
      const loss = () =>
        tf.tidy(() => {
          const e = model.encoder.forward(batch).embeddings;
          return infoNceLoss(e.slice([0, 0], [n, -1]), e.slice([n, 0], [n, -1]), 0.05);
        });
      const { grads } = tf.variableGrads(loss, model.encoder.trainableVariables());
      const eps = 1e-2;
      let checked = 0;
      for (const name of PARAMETERS) {
        const variable = model.encoder.params.get(name)!;
        const values = (await variable.data()) as Float32Array;
        const g = (await grads[variable.name]!.data()) as Float32Array;
        // The coordinates with the largest gradients, where a wrong backward would show most.
        const picks = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]!) - Math.abs(g[a]!)).slice(0, 3);
        for (const i of picks) {
          const at = async (delta: number) => {
            const copy = values.slice();
            copy[i] = values[i]! + delta;
            tf.tidy(() => variable.assign(tf.tensor(copy, variable.shape)));
            const l = loss();
            const v = (await l.data())[0]!;
            l.dispose();
            return v;
          };
          const fd = ((await at(eps)) - (await at(-eps))) / (2 * eps);
          tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
          expect(Math.abs(fd - g[i]!), `${name}[${i}]: finite difference ${fd}, gradient ${g[i]}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(g[i]!));
          checked++;
        }
      }
      expect(checked).toBe(PARAMETERS.length * 3);
      tf.dispose(Object.values(grads));
      model.encoder.dispose();
    });
  });
}
