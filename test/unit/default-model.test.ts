import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diskSource } from '../../src/cli/disk-source';
import { selectNodeBackend } from '../../src/cli/node-backend';
import { DEFAULT_MODEL } from '../../src/core/defaults';
import { embedTexts } from '../../src/core/embed';
import { loadModel } from '../../src/core/model-io';
import { repoRoot } from './helpers';

// One sentence in each of the 15 languages (written for this test).
const SAMPLES: Record<string, string> = {
  ar: 'تُحضَّر القهوة من بذور نبات البن المحمصة.',
  bn: 'মৌমাছিরা ফুলের মধু থেকে মধু তৈরি করে।',
  de: 'Der Kilimandscharo ist der höchste Berg Afrikas.',
  el: 'Η Σελήνη περιστρέφεται γύρω από τη Γη κάθε 27 ημέρες.',
  en: 'The piano was invented in Italy around 1700.',
  es: 'Las abejas guardan la miel en panales de cera.',
  fr: 'Le café est préparé à partir de graines torréfiées.',
  hi: 'चंद्रमा हमेशा पृथ्वी की ओर एक ही भाग रखता है।',
  ja: '東海道新幹線は1964年に開業した。',
  ru: 'Фортепиано изобрёл Бартоломео Кристофори.',
  sw: 'Mlima Kilimanjaro ndio mlima mrefu zaidi barani Afrika.',
  th: 'รถไฟความเร็วสูงสายแรกของญี่ปุ่นเปิดให้บริการในปี 1964',
  tr: 'Ay, Dünya’nın çevresinde yaklaşık 27 günde bir döner.',
  vi: 'Cà phê được pha từ hạt rang của cây cà phê.',
  zh: '蜜蜂用花蜜酿造蜂蜜。',
};

describe(`the bundled default model (${DEFAULT_MODEL})`, () => {
  beforeAll(async () => {
    await selectNodeBackend('wasm');
  });

  it('loads, and its tokenizer knows every script of the 15 languages (no unknown tokens)', async () => {
    const model = await loadModel(diskSource(path.join(repoRoot, 'models', DEFAULT_MODEL)));
    const unk = model.tokenizer.encodeOne('\u2603').ids[1];
    for (const [lang, text] of Object.entries(SAMPLES)) {
      const { ids } = model.tokenizer.encodeOne(text);
      expect(ids.filter((id) => id === unk), `${lang}: ${text}`).toEqual([]);
    }
    model.encoder.dispose();
  });

  it('embeds without leaking tensors', async () => {
    const model = await loadModel(diskSource(path.join(repoRoot, 'models', DEFAULT_MODEL)));
    const texts = Object.values(SAMPLES);
    await embedTexts(model.encoder, model.tokenizer, texts, { batchSize: 4 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await embedTexts(model.encoder, model.tokenizer, texts, { batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    model.encoder.dispose();
  });
});
