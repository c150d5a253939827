// Runs the core in the page, on the backend the test asks for, and hands raw numbers back to Node.
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/core/backend';
import { infoNceLoss } from '../../src/core/loss';
import { loadModel } from '../../src/core/model-io';
import { urlSource } from '../../src/core/model-source';
import type { ModelShape } from '../../bench/synthetic';
import { runEncoderParity, runParity, type ParityCase } from './kernel-parity';

interface ReferenceInput {
  input_ids: number[][];
  attention_mask: number[][];
  hidden_shape: [number, number, number];
  loss: { temperature: number; queries: number; gradients: Record<string, number[]> };
}

async function runReference(fixture: string, backend: BackendName, fused = false) {
  const info = await selectBackend(backend);
  const base = new URL(`/test/fixtures/${fixture}/`, location.href).href;
  const ref = (await (await fetch(`${base}reference.json`)).json()) as ReferenceInput;
  const model = await loadModel(urlSource(base));
  model.encoder.fused = fused;
  const [b, t] = ref.hidden_shape;
  const batch = { batchSize: b, length: t, inputIds: Int32Array.from(ref.input_ids.flat()), attentionMask: Int32Array.from(ref.attention_mask.flat()) };
  const out = tf.tidy(() => model.encoder.forward(batch));
  const n = ref.loss.queries;
  const { value, grads } = tf.variableGrads(
    () =>
      tf.tidy(() => {
        const e = model.encoder.forward(batch).embeddings;
        return infoNceLoss(e.slice([0, 0], [n, -1]), e.slice([n, 0], [n, -1]), ref.loss.temperature);
      }),
    model.encoder.trainableVariables(),
  );
  const gradients: Record<string, number[]> = {};
  for (const name of Object.keys(ref.loss.gradients)) {
    gradients[name] = Array.from(await grads[model.encoder.params.get(name)!.name]!.data());
  }
  const result = {
    backend: info.name,
    adapter: info.adapter ?? null,
    embeddingOutput: Array.from(await out.embeddingOutput.data()),
    lastHiddenState: Array.from(await out.lastHiddenState.data()),
    embeddings: Array.from(await out.embeddings.data()),
    loss: (await value.data())[0],
    gradients,
  };
  tf.dispose([out.embeddingOutput, out.lastHiddenState, out.embeddings, value, ...Object.values(grads)]);
  model.encoder.dispose();
  return result;
}

async function kernelParity(c: ParityCase) {
  const info = await selectBackend('webgpu');
  return { backend: info.name, adapter: info.adapter ?? null, result: await runParity(c) };
}

async function encoderParity(shape: ModelShape, batchSize: number, length: number) {
  const info = await selectBackend('webgpu');
  return { backend: info.name, adapter: info.adapter ?? null, result: await runEncoderParity(shape, batchSize, length) };
}

(window as unknown as { harness: unknown }).harness = { runReference, kernelParity, encoderParity };
document.body.dataset.ready = 'true';
