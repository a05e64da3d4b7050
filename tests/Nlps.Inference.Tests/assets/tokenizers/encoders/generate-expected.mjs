// Regenerates <name>.expected.jsonl for each tokenizer folder here with the JavaScript reference, transformers.js
// (PreTrainedTokenizer over the same tokenizer.json), on ../corpus.jsonl. The fields mean what they mean in
// ../generate-expected.mjs (ids without/with the post-processor's specials, decoded with and without specials,
// clean_up_tokenization_spaces=false). Usage: ./install-reference.sh && node generate-expected.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { PreTrainedTokenizer } from "@huggingface/transformers";

const here = (f) => new URL(`./${f}`, import.meta.url);
const corpus = readFileSync(here("../corpus.jsonl"), "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l));

for (const name of ["bert-uncased", "bert-cased", "xlmr-unigram"]) {
  const tokenizer = new PreTrainedTokenizer(JSON.parse(readFileSync(here(`${name}/tokenizer.json`), "utf8")), {});
  const decodeArgs = { clean_up_tokenization_spaces: false };
  const out = corpus.map((text) => {
    const idsSpecial = tokenizer.encode(text, { add_special_tokens: true });
    return JSON.stringify({
      ids: tokenizer.encode(text, { add_special_tokens: false }),
      ids_special: idsSpecial,
      decoded: tokenizer.decode(idsSpecial, { ...decodeArgs, skip_special_tokens: false }),
      decoded_skip: tokenizer.decode(idsSpecial, { ...decodeArgs, skip_special_tokens: true }),
    });
  });
  writeFileSync(here(`${name}.expected.jsonl`), out.join("\n") + "\n");
  console.log(`${name}.expected.jsonl: ${out.length} lines`);
}
