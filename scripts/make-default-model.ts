// Makes the placeholder default model in models/random-init-mini: a character-level WordPiece
// tokenizer over the 15 languages' scripts (built with Hugging Face `tokenizers`) and a small BERT
// with seeded random weights (BERT's initialisation). It is what it says: untrained. It stands in
// until the project's pretrained encoder (issue 4) replaces it; its rankings follow shared
// characters, not meaning. Run: npx tsx scripts/make-default-model.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tokenizers from 'tokenizers';
import { randomWeights } from '../src/core/init';
import { serializeSafetensors } from '../src/core/safetensors';
import { parseConfig } from '../src/core/config';
import { DEFAULT_MODEL } from '../src/core/defaults';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'models', DEFAULT_MODEL);
const { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer, bertProcessing, wordPieceDecoder } = tokenizers;

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
// Letters and marks of the scripts of ar bn de el en es fr hi ja ru sw th tr vi zh, after BERT's
// lowercasing; CJK ideographs are split one per token by the normaliser, so they need no "##" form.
const RANGES: [number, number][] = [
  [0x30, 0x39], [0x61, 0x7a], [0xdf, 0xff], [0x100, 0x17f], [0x1a0, 0x1b0], [0x300, 0x36f],
  [0x3ac, 0x3ce], [0x430, 0x45f], [0x621, 0x64a], [0x64b, 0x655], [0x660, 0x669], [0x67e, 0x6d5],
  [0x900, 0x97f], [0x980, 0x9fe], [0xe01, 0xe5b], [0x1ea0, 0x1ef9], [0x3041, 0x3096], [0x30a1, 0x30fc],
];
const CJK: [number, number] = [0x4e00, 0x9fff];
const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»°–—‘’“”…·、。「」『』（），：；？！《》【】・؟،؛।'];

function vocabulary(): Record<string, number> {
  const tokens = [...SPECIALS, ...PUNCTUATION];
  const pieces: string[] = [];
  for (const [lo, hi] of RANGES) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!/[\p{L}\p{M}\p{N}]/u.test(ch)) continue;
      tokens.push(ch);
      pieces.push(`##${ch}`);
    }
  }
  for (let cp = CJK[0]; cp <= CJK[1]; cp++) tokens.push(String.fromCodePoint(cp));
  const unique = [...new Set([...tokens, ...pieces])];
  return Object.fromEntries(unique.map((t, i) => [t, i]));
}

async function main() {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const vocab = vocabulary();
  const model = WordPiece.init(vocab, { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 300 });
  const tok = new Tokenizer(model);
  tok.setNormalizer(bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: true }));
  tok.setPreTokenizer(bertPreTokenizer());
  tok.setPostProcessor(bertProcessing(['[SEP]', vocab['[SEP]']!], ['[CLS]', vocab['[CLS]']!]));
  tok.setDecoder(wordPieceDecoder('##', true));
  tok.addSpecialTokens(SPECIALS);
  tok.save(path.join(outDir, 'tokenizer.json'), false);
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 256,
    pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]',
  };
  fs.writeFileSync(path.join(outDir, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfig, null, 2)}\n`);

  const rawConfig = {
    _name_or_path: DEFAULT_MODEL,
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: Object.keys(vocab).length,
    hidden_size: 64,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    intermediate_size: 256,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: 256,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    initializer_range: 0.02,
  };
  fs.writeFileSync(path.join(outDir, 'config.json'), `${JSON.stringify(rawConfig, null, 2)}\n`);
  const tensors = randomWeights(parseConfig(rawConfig), 20261125);
  fs.writeFileSync(path.join(outDir, 'model.safetensors'), serializeSafetensors(tensors, 'F16'));
  fs.writeFileSync(
    path.join(outDir, 'modules.json'),
    `${JSON.stringify([
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
    ], null, 2)}\n`,
  );
  fs.mkdirSync(path.join(outDir, '1_Pooling'));
  fs.writeFileSync(
    path.join(outDir, '1_Pooling/config.json'),
    `${JSON.stringify({ word_embedding_dimension: 64, pooling_mode_cls_token: false, pooling_mode_mean_tokens: true, pooling_mode_max_tokens: false }, null, 2)}\n`,
  );
  console.log(`wrote ${outDir}: vocabulary ${rawConfig.vocab_size}, ${tensors.reduce((n, t) => n + t.data.length, 0).toLocaleString('en')} parameters`);
}

await main();
