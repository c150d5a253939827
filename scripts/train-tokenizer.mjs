#!/usr/bin/env node
// Trains the default encoder's multilingual WordPiece tokenizer with Hugging Face `tokenizers` (Rust),
// on the train split's passage sentences and titles in all 15 languages (never questions, dev, test
// or ../shared/eval), and measures it: unknown-token rate and tokens per word for each language, on
// the whole bundled corpus and on ../shared/eval/xquad-r-dev when present, at several vocabulary
// sizes. Writes tokenizer.json + tokenizer_config.json for the chosen size and tokenizer-report.json.
//
//   node scripts/train-tokenizer.mjs [--out DIR] [--vocab N] [--extra build/pretrain/cldr.json]
//
// --extra adds the texts of a parallel-groups file (scripts/pretrain-data.mjs: CLDR names) to the
// training lines, so that the vocabulary also covers the pretraining data beyond the corpus.
//
// The trainer's own vocabulary is BPE-ordered (alphabet first, then merges, most frequent first), so
// its first N entries are the vocabulary of a shorter training run: that is how the sizes compared
// here are made. Every letter of the 15 scripts is added (alone and as a continuation), so an
// unknown token only arises from a character outside those scripts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tokenizers from 'tokenizers';
import { LANGUAGES } from './check-corpus.mjs';

const { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer, bertProcessing, wordPieceDecoder } = tokenizers;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Languages written without spaces between words: their "words" are counted as characters.
const UNSPACED = new Set(['ja', 'th', 'zh']);
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const SIZES = [8000, 16000, 24000, 32000];
// Letters and marks of the 15 scripts (after lowercasing), so that no letter of them is unknown.
const SCRIPT_RANGES = [
  [0x30, 0x39], [0x61, 0x7a], [0xdf, 0xff], [0x100, 0x17f], [0x1a0, 0x1b0], [0x300, 0x36f],
  [0x3ac, 0x3ce], [0x430, 0x45f], [0x621, 0x64a], [0x64b, 0x655], [0x660, 0x669], [0x67e, 0x6d5],
  [0x900, 0x97f], [0x980, 0x9fe], [0xe01, 0xe5b], [0x1ea0, 0x1ef9], [0x3041, 0x3096], [0x30a1, 0x30fc],
  [0x4e00, 0x9fff],
];
// Punctuation and symbols stand alone after pre-tokenisation: one token each, no continuation form.
// (Questions end in ?, ？, ¿ or ؟, which passage sentences never contain.)
const SYMBOL_RANGES = [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e], [0xa1, 0xbf], [0xd7, 0xd7], [0xf7, 0xf7],
  [0x2010, 0x2027], [0x2030, 0x205e], [0x20a0, 0x20bf], [0x2100, 0x215f], [0x2190, 0x21ff], [0x2200, 0x22ff],
  [0x3000, 0x303f], [0xff01, 0xff5e], [0x60c, 0x60c], [0x61b, 0x61b], [0x61f, 0x61f], [0x66a, 0x66d], [0x964, 0x965]];

function args() {
  const out = { out: path.join(root, 'build/tokenizer'), vocab: 32000, extra: null };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out.out = path.resolve(argv[++i]);
    else if (argv[i] === '--vocab') out.vocab = Number(argv[++i]);
    else if (argv[i] === '--extra') out.extra = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return out;
}

function readCorpus() {
  const partsDir = path.join(root, 'data/corpus/parts');
  const split = JSON.parse(fs.readFileSync(path.join(root, 'data/corpus/split.json'), 'utf8')).passages;
  const train = [];
  const all = Object.fromEntries(LANGUAGES.map((l) => [l, []]));
  for (const part of fs.readdirSync(partsDir).sort()) {
    for (const lang of LANGUAGES) {
      const file = path.join(partsDir, part, `${lang}.json`);
      if (!fs.existsSync(file)) continue;
      for (const p of JSON.parse(fs.readFileSync(file, 'utf8')).passages) {
        if (!split[p.id]) continue;
        all[lang].push(p.title, ...p.sentences, ...p.questions.map((q) => q.text));
        if (split[p.id] === 'train') train.push(p.title, ...p.sentences);
      }
    }
  }
  return { train, all };
}

function readXquad() {
  const dir = path.resolve(root, '../shared/eval/xquad-r-dev');
  if (!fs.existsSync(dir)) return null;
  const out = {};
  for (const f of fs.readdirSync(dir).filter((x) => /^[a-z]{2}\.json$/.test(x))) {
    const texts = [];
    for (const a of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).data) {
      for (const p of a.paragraphs) {
        for (const [s, e] of p.sentence_breaks) texts.push(p.context.slice(s, e).trim());
        for (const q of p.qas) texts.push(q.question);
      }
    }
    out[f.slice(0, 2)] = texts;
  }
  return out;
}

function build(vocabList) {
  const vocab = Object.fromEntries(vocabList.map((t, i) => [t, i]));
  const tok = new Tokenizer(WordPiece.init(vocab, { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 1000 }));
  tok.setNormalizer(bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: true }));
  tok.setPreTokenizer(bertPreTokenizer());
  tok.setPostProcessor(bertProcessing(['[SEP]', vocab['[SEP]']], ['[CLS]', vocab['[CLS]']]));
  tok.setDecoder(wordPieceDecoder('##', true));
  tok.addSpecialTokens(SPECIALS);
  return tok;
}

/** The trained vocabulary cut to `size`, with the specials first and every script letter added. */
function vocabularyOf(trained, size) {
  const list = [...SPECIALS];
  const seen = new Set(list);
  const add = (t) => {
    if (!seen.has(t)) {
      seen.add(t);
      list.push(t);
    }
  };
  for (const t of trained.slice(0, size)) add(t);
  for (const [lo, hi] of SYMBOL_RANGES) for (let cp = lo; cp <= hi; cp++) add(String.fromCodePoint(cp));
  for (const [lo, hi] of SCRIPT_RANGES) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!/[\p{L}\p{M}\p{N}]/u.test(ch)) continue;
      add(ch);
      if (cp < 0x4e00) add(`##${ch}`);
    }
  }
  return list;
}

async function measure(tok, textsByLang) {
  const unkId = tok.tokenToId('[UNK]');
  const out = {};
  for (const [lang, texts] of Object.entries(textsByLang)) {
    let tokens = 0;
    let unknown = 0;
    let words = 0;
    const encodings = await tok.encodeBatch(texts);
    encodings.forEach((e, i) => {
      const ids = e.getIds().slice(1, -1);
      tokens += ids.length;
      unknown += ids.filter((id) => id === unkId).length;
      words += UNSPACED.has(lang) ? [...texts[i].replace(/\s+/g, '')].length : texts[i].split(/\s+/).filter(Boolean).length;
    });
    out[lang] = { unkRate: unknown / Math.max(tokens, 1), tokensPerWord: tokens / Math.max(words, 1), unit: UNSPACED.has(lang) ? 'character' : 'word', tokens };
  }
  return out;
}

async function main() {
  const options = args();
  const { train, all } = readCorpus();
  const extraLines = options.extra ? JSON.parse(fs.readFileSync(options.extra, 'utf8')).groups.flatMap((g) => Object.values(g.texts)) : [];
  train.push(...extraLines);
  const xquad = readXquad();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenizer-'));
  const trainFile = path.join(tmp, 'train.txt');
  fs.writeFileSync(trainFile, train.join('\n'));
  const trainer = new Tokenizer(WordPiece.empty());
  trainer.setNormalizer(bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: true }));
  trainer.setPreTokenizer(bertPreTokenizer());
  trainer.train([trainFile]);
  const trainedVocab = trainer.getVocab();
  const trained = Object.entries(trainedVocab).sort((a, b) => a[1] - b[1]).map(([t]) => t);
  console.error(`trained on ${train.length - extraLines.length} train-split lines and ${extraLines.length} extra lines: ${trained.length} pieces`);

  const report = { trainingLines: train.length, extraLines: extraLines.length, trainedPieces: trained.length, sizes: {} };
  for (const size of [...SIZES.filter((s) => s < trained.length), trained.length]) {
    const tok = build(vocabularyOf(trained, size));
    const corpus = await measure(tok, all);
    const eval_ = xquad ? await measure(tok, xquad) : null;
    report.sizes[size] = { vocabSize: tok.getVocabSize(true), corpus, xquad: eval_ };
    const worst = (m) => (m ? Math.max(...Object.values(m).map((x) => x.unkRate)) : NaN);
    const mean = (m, k) => (m ? Object.values(m).reduce((a, x) => a + x[k], 0) / Object.keys(m).length : NaN);
    console.error(
      `trained pieces ${size}: vocabulary ${tok.getVocabSize(true)}, max UNK rate corpus ${(100 * worst(corpus)).toFixed(3)}%` +
        ` xquad ${(100 * worst(eval_)).toFixed(3)}%, mean tokens/word corpus ${mean(corpus, 'tokensPerWord').toFixed(2)}` +
        ` xquad ${mean(eval_, 'tokensPerWord').toFixed(2)}`,
    );
  }
  const chosen = Math.min(options.vocab, trained.length);
  const tok = build(vocabularyOf(trained, chosen));
  fs.mkdirSync(options.out, { recursive: true });
  tok.save(path.join(options.out, 'tokenizer.json'), false);
  fs.writeFileSync(
    path.join(options.out, 'tokenizer_config.json'),
    `${JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 128, pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]' }, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(options.out, 'tokenizer-report.json'), `${JSON.stringify({ ...report, chosen }, null, 1)}\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
  console.error(`wrote ${options.out} (trained pieces ${chosen}, vocabulary ${tok.getVocabSize(true)})`);
}

await main();
