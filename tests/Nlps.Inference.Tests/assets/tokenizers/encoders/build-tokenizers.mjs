// Builds the encoder tokenizer.json files the conformance tests use, deterministically from ../corpus.jsonl:
//   bert-uncased/  WordPiece, BertNormalizer (lowercase, strip accents, CJK split), BertPreTokenizer, BertProcessing
//   bert-cased/    WordPiece, BertNormalizer without lowercase/accent stripping, TemplateProcessing, small max word
//   xlmr-unigram/  Unigram (SentencePiece scores), Precompiled normalizer, WhitespaceSplit + Metaspace, RobertaProcessing
// Vocabularies are drawn from the corpus itself (every character seen at least twice, frequent word prefixes and
// continuations), so unknown characters, [UNK] words and unknown-piece fusion all occur in the corpus.
// Usage: ./install-reference.sh && node build-tokenizers.mjs && node generate-expected.mjs
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { BertNormalizer, PrecompiledNormalizer } from "@huggingface/tokenizers";

const here = (f) => new URL(`./${f}`, import.meta.url);
const corpus = readFileSync(here("../corpus.jsonl"), "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l));
// Every fourth line is held out of the vocabulary statistics so that tokenization meets unseen words.
const training = corpus.filter((_, i) => i % 4 !== 3);

function count(map, key, by = 1) { map.set(key, (map.get(key) ?? 0) + by); }
const byCount = (map, min) => [...map].filter(([, c]) => c >= min).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

function wordPieceVocab(normalize, words) {
  const chars = new Map();
  const pieces = new Map();
  for (const text of training) {
    for (const word of words(normalize(text))) {
      const cps = [...word];
      cps.forEach((c, i) => count(chars, i === 0 ? c : `##${c}`));
      for (let end = 2; end <= Math.min(cps.length, 8); end++) count(pieces, cps.slice(0, end).join(""));
      for (let start = 1; start + 2 <= cps.length && start < 8; start++) count(pieces, `##${cps.slice(start, start + 3).join("")}`);
    }
  }
  const vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  for (const [c] of byCount(chars, 2)) vocab.push(c);
  for (const [p] of byCount(pieces, 3).slice(0, 6000)) vocab.push(p);
  return Object.fromEntries(vocab.map((t, i) => [t, i]));
}

const bertWords = (text) => text.trim().match(/[^\s\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]+|[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]/gu) ?? [];
const special = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

function bert(name, normalizer, postProcessor, maxChars) {
  const norm = new BertNormalizer(normalizer);
  const vocab = wordPieceVocab((t) => norm.normalize(t), bertWords);
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map((t, i) => special(i, t)),
    normalizer,
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: postProcessor,
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: maxChars, vocab },
  };
  mkdirSync(here(name), { recursive: true });
  writeFileSync(here(`${name}/tokenizer.json`), JSON.stringify(json, null, 1) + "\n");
  console.log(`${name}: ${Object.keys(vocab).length} tokens`);
}

bert("bert-uncased",
  { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  { type: "BertProcessing", sep: ["[SEP]", 3], cls: ["[CLS]", 2] },
  100);
bert("bert-cased",
  { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: false },
  {
    type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
    pair: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } }],
    special_tokens: { "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] }, "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] } },
  },
  12);

// Unigram: pieces are '▁'-prefixed word starts and inner substrings up to 6 code points; score = log(frequency share).
{
  const precompiled = { type: "Precompiled", precompiled_charsmap: null };
  const norm = new PrecompiledNormalizer(precompiled);
  const pieces = new Map();
  for (const text of training) {
    for (const word of norm.normalize(text).split(/\s+/).filter((w) => w)) {
      const cps = ["\u2581", ...word];
      for (let start = 0; start < cps.length; start++) {
        for (let end = start + 1; end <= Math.min(cps.length, start + 6); end++) count(pieces, cps.slice(start, end).join(""));
      }
    }
  }
  const kept = byCount(pieces, 2).filter(([p]) => [...p].length === 1 || pieces.get(p) >= 4).slice(0, 12000);
  const total = kept.reduce((s, [, c]) => s + c, 0);
  const vocab = [["<s>", 0], ["<pad>", 0], ["</s>", 0], ["<unk>", 0]];
  for (const [p, c] of kept) vocab.push([p, Math.log(c / total) - 0.25 * ([...p].length - 1)]);
  vocab.push(["<mask>", 0]);
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: ["<s>", "<pad>", "</s>", "<unk>"].map((t, i) => special(i, t)).concat([{ ...special(vocab.length - 1, "<mask>"), lstrip: true }]),
    normalizer: precompiled,
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true }] },
    post_processor: { type: "RobertaProcessing", sep: ["</s>", 2], cls: ["<s>", 0], trim_offsets: true, add_prefix_space: true },
    decoder: { type: "Metaspace", replacement: "\u2581", prepend_scheme: "always", split: true },
    model: { type: "Unigram", unk_id: 3, vocab, byte_fallback: false },
  };
  mkdirSync(here("xlmr-unigram"), { recursive: true });
  writeFileSync(here("xlmr-unigram/tokenizer.json"), JSON.stringify(json, null, 1) + "\n");
  console.log(`xlmr-unigram: ${vocab.length} pieces`);
}
