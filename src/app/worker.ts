// The engine's Web Worker: model loading, embedding and search run here, so the page never freezes.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type BackendInfo, type BackendName } from '../core/backend';
import { cosineScores, embedTexts, topK } from '../core/embed';
import { loadModel, type LoadedModel, type LoadProgress } from '../core/model-io';
import { filesSource, urlSource, type ModelSource } from '../core/model-source';

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

export interface SearchHit {
  index: number;
  score: number;
}

let model: LoadedModel | null = null;
let backend: BackendInfo | null = null;
let passageVectors: Float32Array | null = null;
let fusedKernels = true;

async function ensureBackend(preference: BackendName | 'auto'): Promise<BackendInfo> {
  backend ??= await selectBackend(preference, {
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
  });
  return backend;
}

/** Loads a model; the current one is replaced only once the new one has loaded completely. */
async function load(source: ModelSource, preference: BackendName | 'auto', onProgress: (p: LoadProgress) => void): Promise<ModelSummary> {
  const info = await ensureBackend(preference);
  const loaded = await loadModel(source, { onProgress });
  loaded.encoder.fused = fusedKernels;
  model?.encoder.dispose();
  model = loaded;
  passageVectors = null;
  return {
    name: loaded.name,
    parameters: loaded.encoder.parameterCount(),
    weightBytes: loaded.weightBytes,
    storageDtype: loaded.storageDtype,
    dim: loaded.config.hiddenSize,
    maxLength: loaded.tokenizer.maxLength,
    backend: info,
    fused: fusedKernels && info.name === 'webgpu',
  };
}

const engine = {
  /** Fused WebGPU kernels on or off for this and later models (they run on the webgpu backend only). */
  setFused(on: boolean): void {
    fusedKernels = on;
    if (model) model.encoder.fused = on;
  },

  /** A model folder served over HTTP(S): the bundled one, or any URL the user gives. */
  loadFromUrl(modelUrl: string, preference: BackendName | 'auto', onProgress: (p: LoadProgress) => void): Promise<ModelSummary> {
    return load(urlSource(modelUrl), preference, onProgress);
  },

  /** A model folder the user picked (the files of an <input webkitdirectory>). */
  loadFromFiles(files: File[], label: string, preference: BackendName | 'auto', onProgress: (p: LoadProgress) => void): Promise<ModelSummary> {
    return load(filesSource(files, label), preference, onProgress);
  },

  async indexPassages(texts: string[]): Promise<{ count: number; ms: number }> {
    if (!model) throw new Error('no model loaded');
    const started = performance.now();
    passageVectors = (await embedTexts(model.encoder, model.tokenizer, texts)).vectors;
    return { count: texts.length, ms: performance.now() - started };
  },

  async search(query: string, k: number): Promise<SearchHit[]> {
    if (!model || !passageVectors) throw new Error('the passages are not indexed yet');
    const { vectors, dim } = await embedTexts(model.encoder, model.tokenizer, [query]);
    const scores = cosineScores(vectors, passageVectors, dim);
    return topK(scores, k).map((index) => ({ index, score: scores[index]! }));
  },

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  },
};

export type Engine = typeof engine;
Comlink.expose(engine);
