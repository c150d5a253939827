import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { ModelFormatError } from '../../src/core/errors';
import { exportModel, loadModel } from '../../src/core/model-io';
import { memorySource } from '../../src/core/model-source';
import { parseSafetensors, serializeSafetensors, float16ToFloat32, float32ToFloat16 } from '../../src/core/safetensors';
import { batchFromReference, fixtureDir, maxAbsDiff, readReference } from './helpers';

function fixtureFiles(name = 'tiny-bert'): Map<string, Uint8Array> {
  const dir = fixtureDir(name);
  const files = new Map<string, Uint8Array>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else files.set(r, new Uint8Array(fs.readFileSync(path.join(dir, r))));
    }
  };
  walk('');
  return files;
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const dec = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;

/** Loads, expecting a ModelFormatError that names `file` and matches `problem`; checks nothing leaked. */
async function expectRejected(files: Map<string, Uint8Array>, file: string, problem: RegExp) {
  const before = tf.memory().numTensors;
  const error = await loadModel(memorySource(files)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFormatError);
  expect((error as ModelFormatError).file).toBe(file);
  expect((error as ModelFormatError).message).toMatch(problem);
  expect(tf.memory().numTensors).toBe(before);
}

function rewriteWeights(files: Map<string, Uint8Array>, edit: (tensors: { name: string; shape: number[]; data: Float32Array }[]) => void) {
  const parsed = parseSafetensors(files.get('model.safetensors')!);
  const tensors = [...parsed.tensors.values()];
  edit(tensors);
  files.set('model.safetensors', serializeSafetensors(tensors));
}

describe('model I/O', () => {
  beforeAll(async () => {
    await selectNodeBackend('cpu');
  });

  it('reads float16 and bfloat16 checkpoints as PyTorch decodes them', async () => {
    const ref = readReference('tiny-bert');
    for (const [variant, expected] of [['model-f16.safetensors', ref.decoded.f16], ['model-bf16.safetensors', ref.decoded.bf16]] as const) {
      const files = fixtureFiles();
      files.set('model.safetensors', files.get(variant)!);
      const model = await loadModel(memorySource(files));
      expect(model.storageDtype).toBe(variant.includes('bf16') ? 'BF16' : 'F16');
      const word = await model.encoder.params.get('embeddings.word_embeddings.weight')!.data();
      expect(Array.from(word.slice(0, expected.length))).toEqual(expected.map((x) => Math.fround(x)));
      model.encoder.dispose();
    }
  });

  it('converts float16 both ways, rounding to nearest even', () => {
    for (const bits of [0x0000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0x3c01, 0x7bff, 0xfbff, 0x8001, 0x7c00]) {
      expect(float32ToFloat16(float16ToFloat32(bits))).toBe(bits);
    }
    expect(float32ToFloat16(1 + 2 ** -11)).toBe(0x3c00); // halfway: to even
    expect(float32ToFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway: to even, upwards
    expect(float32ToFloat16(65520)).toBe(0x7c00); // overflows to infinity
  });

  it('reads the sentence-transformers pooling config', async () => {
    const files = fixtureFiles();
    files.set('1_Pooling/config.json', enc({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    const model = await loadModel(memorySource(files));
    expect(model.encoder.pooling).toBe('cls');
    model.encoder.dispose();
    files.set('1_Pooling/config.json', enc({ pooling_mode_max_tokens: true }));
    await expectRejected(files, '1_Pooling/config.json', /unsupported pooling pooling_mode_max_tokens/);
    files.set('modules.json', enc([{ type: 'sentence_transformers.models.Dense', path: '2_Dense' }]));
    await expectRejected(files, 'modules.json', /unsupported module/);
  });

  it('exports a folder that loads back to the same embeddings, in float32 and float16', async () => {
    const ref = readReference('tiny-xlmr');
    const model = await loadModel(memorySource(fixtureFiles('tiny-xlmr')));
    const batch = batchFromReference(ref);
    const original = await model.encoder.embed(batch).data();
    for (const dtype of ['F32', 'F16'] as const) {
      const exported = await exportModel(model, { dtype });
      expect([...exported.keys()].sort()).toEqual(
        ['1_Pooling/config.json', 'config.json', 'model.safetensors', 'modules.json', 'tokenizer.json', 'tokenizer_config.json'].sort(),
      );
      const again = await loadModel(memorySource(exported));
      const e = await again.encoder.embed(batch).data();
      expect(maxAbsDiff(e, original)).toBeLessThan(dtype === 'F32' ? 1e-7 : 5e-3);
      expect(again.encoder.extras.has('pooler.dense.weight')).toBe(true);
      again.encoder.dispose();
    }
    model.encoder.dispose();
  });

  describe('rejects malformed input with the file and the problem, and loads nothing', () => {
    it('a missing file', async () => {
      for (const file of ['config.json', 'tokenizer.json', 'model.safetensors']) {
        const files = fixtureFiles();
        files.delete(file);
        await expectRejected(files, file, /missing/);
      }
    });

    it('a truncated safetensors file', async () => {
      const files = fixtureFiles();
      const bytes = files.get('model.safetensors')!;
      files.set('model.safetensors', bytes.subarray(0, bytes.length - 100));
      await expectRejected(files, 'model.safetensors', /truncated|after the last|data ends/);
      files.set('model.safetensors', bytes.subarray(0, 5));
      await expectRejected(files, 'model.safetensors', /truncated/);
      files.set('model.safetensors', bytes.subarray(0, 200));
      await expectRejected(files, 'model.safetensors', /header claims/);
    });

    it('a corrupt header', async () => {
      const files = fixtureFiles();
      const bytes = files.get('model.safetensors')!.slice();
      bytes[10] = 0xff;
      files.set('model.safetensors', bytes);
      await expectRejected(files, 'model.safetensors', /not valid UTF-8 JSON/);
    });

    it('a header that lies about sizes', async () => {
      const files = fixtureFiles();
      const bytes = files.get('model.safetensors')!;
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const n = Number(view.getBigUint64(0, true));
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { shape: number[] }>;
      header['embeddings.LayerNorm.bias']!.shape = [33];
      let text = JSON.stringify(header);
      text += ' '.repeat(Math.max(0, n - text.length));
      const out = new Uint8Array(bytes.length - n + text.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
      out.set(new TextEncoder().encode(text), 8);
      out.set(bytes.subarray(8 + n), 8 + text.length);
      files.set('model.safetensors', out);
      await expectRejected(files, 'model.safetensors', /header says 128 bytes but shape \[33\] of F32 needs 132/);
    });

    it('a missing, extra or misshapen tensor', async () => {
      let files = fixtureFiles();
      rewriteWeights(files, (t) => t.splice(t.findIndex((x) => x.name === 'encoder.layer.1.output.dense.bias'), 1));
      await expectRejected(files, 'model.safetensors', /missing tensor "encoder.layer.1.output.dense.bias"/);
      files = fixtureFiles();
      rewriteWeights(files, (t) => t.push({ name: 'encoder.layer.2.output.dense.bias', shape: [32], data: new Float32Array(32) }));
      await expectRejected(files, 'model.safetensors', /unexpected tensor "encoder.layer.2.output.dense.bias"/);
      files = fixtureFiles();
      rewriteWeights(files, (t) => {
        const i = t.findIndex((x) => x.name === 'encoder.layer.0.intermediate.dense.weight');
        t[i] = { ...t[i]!, shape: [32, 64] };
      });
      await expectRejected(files, 'model.safetensors', /"encoder.layer.0.intermediate.dense.weight" has shape \[32, 64\], config.json implies \[64, 32\]/);
    });

    it('an unsupported dtype', async () => {
      const files = fixtureFiles();
      const bytes = files.get('model.safetensors')!;
      const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
      const text = new TextDecoder().decode(bytes.subarray(8, 8 + n)).replace('"dtype":"F32"', '"dtype":"I32"');
      const out = bytes.slice();
      out.set(new TextEncoder().encode(text), 8);
      files.set('model.safetensors', out);
      await expectRejected(files, 'model.safetensors', /unsupported dtype "I32"/);
    });

    it('an unsupported architecture or configuration', async () => {
      const files = fixtureFiles();
      const config = dec(files.get('config.json')!);
      files.set('config.json', enc({ ...config, model_type: 'gpt2' }));
      await expectRejected(files, 'config.json', /unsupported model_type "gpt2"/);
      files.set('config.json', enc({ ...config, architectures: ['BertForSequenceClassification'] }));
      await expectRejected(files, 'config.json', /unsupported architecture "BertForSequenceClassification"/);
      files.set('config.json', enc({ ...config, num_attention_heads: 5 }));
      await expectRejected(files, 'config.json', /not divisible/);
      files.set('config.json', new TextEncoder().encode('{"model_type": "bert",'));
      await expectRejected(files, 'config.json', /not valid JSON/);
    });

    it('a tokenizer that does not match the vocabulary size', async () => {
      const files = fixtureFiles();
      const config = dec(files.get('config.json')!);
      files.set('config.json', enc({ ...config, vocab_size: 50 }));
      rewriteWeights(files, (t) => {
        const i = t.findIndex((x) => x.name === 'embeddings.word_embeddings.weight');
        t[i] = { ...t[i]!, shape: [50, 32], data: t[i]!.data.slice(0, 50 * 32) };
      });
      await expectRejected(files, 'tokenizer.json', /tokenizer has \d+ token ids but the model's vocab_size is 50/);
    });
  });
});
