// The default encoder's tokenizer, trained by scripts/train-tokenizer.mjs with Hugging Face tokenizers:
// the foundation's tokenizer path (@xenova/transformers) must load it and agree with Rust, and no
// language may lose more than 0.5% of its tokens to [UNK].
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tokenizers from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config';
import { Tokenizer } from '../../src/core/tokenizer';
import { repoRoot } from './helpers';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenizer-'));

const SAMPLES = [
  'Der Kilimandscharo ist der höchste Berg Afrikas.',
  '¿Cuándo se inventó el piano?',
  'Η Σελήνη περιστρέφεται γύρω από τη Γη;',
  '日本は1964年に最初の高速鉄道を開業した。',
  'รถไฟความเร็วสูงสายแรกของญี่ปุ่นเปิดให้บริการในปี 1964',
  'চন্দ্রমা পৃথিবীর চারদিকে ঘোরে।',
  'تُحضَّر القهوة من بذور نبات البن المحمصة؟',
  'Cà phê được pha từ hạt rang của cây cà phê.',
];

describe('the trained multilingual tokenizer', () => {
  it('trains, loads through @xenova/transformers with the same ids as Rust, and keeps [UNK] under 0.5%', async () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/train-tokenizer.mjs'), '--out', out, '--vocab', '16000'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'tokenizer-report.json'), 'utf8')) as {
      chosen: number;
      sizes: Record<string, { vocabSize: number; corpus: Record<string, { unkRate: number }>; xquad: Record<string, { unkRate: number }> | null }>;
    };
    const chosen = report.sizes[String(report.chosen)]!;
    for (const [lang, m] of Object.entries(chosen.corpus)) expect(m.unkRate, lang).toBeLessThan(0.005);
    for (const [lang, m] of Object.entries(chosen.xquad ?? {})) expect(m.unkRate, lang).toBeLessThan(0.005);

    const json = JSON.parse(fs.readFileSync(path.join(out, 'tokenizer.json'), 'utf8')) as unknown;
    const config = JSON.parse(fs.readFileSync(path.join(out, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    const model = parseConfig({ model_type: 'bert', vocab_size: chosen.vocabSize, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 1, intermediate_size: 8, max_position_embeddings: 128 });
    const xenova = Tokenizer.fromJSON(json, config, model, 128);
    const rust = tokenizers.Tokenizer.fromFile(path.join(out, 'tokenizer.json'));
    for (const text of SAMPLES) {
      const expected = (await rust.encode(text)).getIds();
      expect(xenova.encodeOne(text).ids, text).toEqual(expected);
      expect(expected).not.toContain(rust.tokenToId('[UNK]'));
    }
  });
});
