#!/usr/bin/env node
// Makes the tiny test checkpoints in test/fixtures/: a WordPiece tokenizer built with Hugging Face's
// own `tokenizers` (Rust), and random weights plus reference outputs from PyTorch
// (scripts/reference_bert.py, Debian's python3-torch). The outputs are committed; rerun this only to
// change the fixtures: `node scripts/make-fixtures.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import tokenizers from 'tokenizers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer, bertProcessing, wordPieceDecoder } = tokenizers;

// Three queries and their three passages, in several scripts: the first half of the batch are the
// queries of the contrastive loss, the second half their positives.
export const FIXTURE_TEXTS = [
  'How deep is the lake?',
  'Wie tief ist der See?',
  '湖有多深？',
  'The lake is very deep and cold.',
  'Озеро очень глубокое.',
  'بحيرة عميقة جدا',
];

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

function buildVocab(texts) {
  const vocab = [...SPECIALS];
  const add = (t) => {
    if (!vocab.includes(t)) vocab.push(t);
  };
  for (const text of texts) {
    const lower = text.toLowerCase();
    for (const ch of lower) {
      if (/\s/.test(ch)) continue;
      add(ch);
      add(`##${ch}`);
    }
    // Whole words for some, so that sequences mix words and pieces.
    for (const word of lower.split(/[\s?？.]+/)) if (word.length > 1 && word.length < 6) add(word);
  }
  for (const piece of ['##ee', '##ep', 'de', 'la', 'ко']) add(piece);
  return Object.fromEntries(vocab.map((t, i) => [t, i]));
}

async function makeTokenizer(dir, vocab) {
  const model = WordPiece.init(vocab, { unkToken: '[UNK]', continuingSubwordPrefix: '##' });
  const tok = new Tokenizer(model);
  tok.setNormalizer(bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: true }));
  tok.setPreTokenizer(bertPreTokenizer());
  tok.setPostProcessor(bertProcessing(['[SEP]', vocab['[SEP]']], ['[CLS]', vocab['[CLS]']]));
  tok.setDecoder(wordPieceDecoder('##', true));
  for (const s of SPECIALS) tok.addSpecialTokens([s]);
  tok.save(path.join(dir, 'tokenizer.json'), true);
  fs.writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify(
      {
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        model_max_length: 40,
        pad_token: '[PAD]',
        unk_token: '[UNK]',
        cls_token: '[CLS]',
        sep_token: '[SEP]',
        mask_token: '[MASK]',
      },
      null,
      2,
    ) + '\n',
  );
  return tok;
}

async function makeFixture(name, modelType) {
  const dir = path.join(root, 'test/fixtures', name);
  fs.mkdirSync(dir, { recursive: true });
  const vocab = buildVocab(FIXTURE_TEXTS);
  const tok = await makeTokenizer(dir, vocab);
  const encodings = await Promise.all(FIXTURE_TEXTS.map((t) => tok.encode(t)));
  const ids = encodings.map((e) => e.getIds());
  const maxLen = Math.max(...ids.map((x) => x.length));
  const pad = vocab['[PAD]'];
  const inputIds = ids.map((x) => [...x, ...Array(maxLen - x.length).fill(pad)]);
  const mask = ids.map((x) => [...x.map(() => 1), ...Array(maxLen - x.length).fill(0)]);
  const spec = {
    model_type: modelType,
    vocab_size: Object.keys(vocab).length,
    pad_token_id: pad,
    texts: FIXTURE_TEXTS,
    input_ids: inputIds,
    attention_mask: mask,
  };
  const specFile = path.join(dir, 'inputs.json');
  fs.writeFileSync(specFile, JSON.stringify(spec));
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts/reference_bert.py'), '--dir', dir, '--inputs', specFile], {
    stdio: 'inherit',
  });
  fs.rmSync(specFile);
  // sentence-transformers' files, so that the loader's handling of them is exercised.
  fs.writeFileSync(
    path.join(dir, 'modules.json'),
    JSON.stringify(
      [
        { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
        { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
        { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
      ],
      null,
      2,
    ) + '\n',
  );
  fs.mkdirSync(path.join(dir, '1_Pooling'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, '1_Pooling/config.json'),
    JSON.stringify({ word_embedding_dimension: 32, pooling_mode_cls_token: false, pooling_mode_mean_tokens: true, pooling_mode_max_tokens: false }, null, 2) + '\n',
  );
}

await makeFixture('tiny-bert', 'bert');
await makeFixture('tiny-xlmr', 'xlm-roberta');
