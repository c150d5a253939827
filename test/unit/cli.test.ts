import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diskSource } from '../../src/cli/disk-source';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { embedTexts } from '../../src/core/embed';
import { loadModel } from '../../src/core/model-io';
import { cli, fixtureDir, maxAbsDiff } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'polyglot-cli-'));


function writeJsonl(name: string, lines: string[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

function readVectors(file: string, dim: number): Float32Array[] {
  const buf = fs.readFileSync(file);
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const rows: Float32Array[] = [];
  for (let i = 0; i < all.length / dim; i++) rows.push(all.slice(i * dim, (i + 1) * dim));
  return rows;
}

describe('npm run cli -- embed', () => {
  beforeAll(async () => {
    await selectNodeBackend('cpu');
  });

  it('writes one L2-normalised row per line, in order, matching the library, and reports JSON last', async () => {
    const texts = ['Wie tief ist der See?', '', 'How deep is the lake? '.repeat(40), '湖有多深？', 'Озеро очень глубокое.'];
    const input = writeJsonl('ok.jsonl', texts.map((text, i) => JSON.stringify({ id: i, text })));
    const out = path.join(tmp, 'ok.f32');
    const r = cli('embed', '--in', input, '--out', out, '--model', fixtureDir('tiny-bert'), '--batch', '2', '--backend', 'cpu');
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(summary).toMatchObject({ count: 5, dim: 32, backend: 'cpu', truncated: 1 });
    expect(typeof summary.ms).toBe('number');
    expect(r.stderr).toMatch(/embedded 5\/5/);
    const rows = readVectors(out, 32);
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    const model = await loadModel(diskSource(fixtureDir('tiny-bert')));
    const expected = await embedTexts(model.encoder, model.tokenizer, texts, { batchSize: 5 });
    expect(maxAbsDiff(rows.flatMap((r) => Array.from(r)), expected.vectors)).toBeLessThan(1e-5);
    model.encoder.dispose();
  });

  it('stops at a bad line with its number, exits non-zero and leaves no output', () => {
    const out = path.join(tmp, 'bad.f32');
    for (const [lines, message] of [
      [['{"text": "a"}', 'not json', '{"text": "c"}'], /bad\.jsonl:2: not a JSON object/],
      [['{"text": "a"}', '{"text": "b"}', '{"title": "c"}'], /bad\.jsonl:3: needs a string field "text"/],
      [['{"text": 5}'], /bad\.jsonl:1: needs a string field "text"/],
    ] as const) {
      const r = cli('embed', '--in', writeJsonl('bad.jsonl', [...lines]), '--out', out, '--model', fixtureDir('tiny-bert'), '--backend', 'cpu');
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n').pop()).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
    }
  });

  it('fails with one line naming a bad model folder, and on bad usage', () => {
    const input = writeJsonl('one.jsonl', ['{"text": "a"}']);
    const r = cli('embed', '--in', input, '--out', path.join(tmp, 'x.f32'), '--model', tmp, '--backend', 'cpu');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/config\.json: missing/);
    expect(cli('embed', '--in', input).status).toBe(2);
    expect(cli('embed', '--in', input, '--out', 'x', '--backend', 'tpu').status).toBe(2);
    expect(cli('frobnicate').status).toBe(2);
  });

  it('documents every command in --help', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/embed --in texts\.jsonl --out vectors\.f32/);
    expect(r.stdout).toMatch(/export --model DIR --out DIR/);
  });

  it('exports a bfloat16 checkpoint as a float16 folder that embeds the same texts', async () => {
    const src = path.join(tmp, 'bf16-model');
    fs.cpSync(fixtureDir('tiny-bert'), src, { recursive: true });
    fs.copyFileSync(path.join(src, 'model-bf16.safetensors'), path.join(src, 'model.safetensors'));
    const out = path.join(tmp, 'exported');
    const r = cli('export', '--model', src, '--out', out, '--dtype', 'f16');
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['1_Pooling', 'config.json', 'model.safetensors', 'modules.json', 'tokenizer.json', 'tokenizer_config.json']);
    const texts = ['Wie tief ist der See?', '湖有多深？'];
    const a = await loadModel(diskSource(src));
    const b = await loadModel(diskSource(out));
    expect(b.storageDtype).toBe('F16');
    const ea = await embedTexts(a.encoder, a.tokenizer, texts);
    const eb = await embedTexts(b.encoder, b.tokenizer, texts);
    // bfloat16 values need more mantissa than float16 only below 2^-14; the rest convert exactly.
    expect(maxAbsDiff(ea.vectors, eb.vectors)).toBeLessThan(1e-3);
    a.encoder.dispose();
    b.encoder.dispose();
    expect(cli('export', '--model', src, '--out', src).status).toBe(2);
  });

  it('embeds with the bundled default model when no --model is given', () => {
    const input = writeJsonl('default.jsonl', ['{"text": "Hallo Welt"}', '{"text": "สวัสดีชาวโลก"}']);
    const out = path.join(tmp, 'default.f32');
    const r = cli('embed', '--in', input, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { count: number; dim: number; backend: string };
    expect(summary.count).toBe(2);
    expect(summary.backend).toBe('wasm');
    expect(fs.statSync(out).size).toBe(2 * summary.dim * 4);
  });
});

describe('npm run cli -- embed --backend webgpu (Dawn in Node, SwiftShader)', () => {
  const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
  it.skipIf(!fs.existsSync(icd))('gives the same vectors as wasm', () => {
    const input = writeJsonl('gpu.jsonl', ['{"text": "Der Mond umkreist die Erde."}', '{"text": "月球绕地球运行。"}', '{"text": ""}']);
    const outs = ['wasm', 'webgpu'].map((backend) => {
      const out = path.join(tmp, `gpu-${backend}.f32`);
      const r = cli('embed', '--in', input, '--out', out, '--backend', backend);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim().split('\n').pop()!).backend).toBe(backend);
      const buf = fs.readFileSync(out);
      return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    });
    expect(maxAbsDiff(outs[0]!, outs[1]!)).toBeLessThan(1e-5);
  });
});
