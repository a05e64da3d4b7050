// llama.cpp's half of the side-by-side benchmark: node bench.mjs <file.gguf> <threads> <runs>
// Per run: prefill tok/s for the same 512-token prompt our engine gets (time to the first generated token) and
// decode tok/s for the next 128 greedy tokens; then the greedy tokens of the cross-check prompt. Prints the same
// RESULT/GREEDY lines as `Nlps.Inference.Bench gguf`.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [file, threadsArg, runsArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 2);
const runs = Number(runsArg ?? 3);
const PrefillTokens = 512, DecodeTokens = Number(process.env.DECODE_TOKENS ?? 128), CheckTokens = 8;

// Same ids as GgufBench.Prompt: 3 + ((i + seed) * 7919) % 31997.
const prompt = (length, seed) => Array.from({ length }, (_, i) => 3 + Number((BigInt(i + seed) * 7919n) % 31997n));

const llama = await getLlama({ gpu: false, build: "never", logLevel: process.env.LLAMA_LOG === "debug" ? LlamaLogLevel.debug : LlamaLogLevel.error });
let start = performance.now();
const model = await llama.loadModel({ modelPath: file, gpuLayers: 0 });
console.log(`llama.cpp ${llama.buildType ?? ""} cpu; loaded ${file} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
const context = await model.createContext({ contextSize: 1024, batchSize: PrefillTokens, threads, sequences: 1 });

async function generate(tokens, count, onFirst) {
    const sequence = context.getSequence();
    const generated = [];
    const begin = performance.now();
    let first = 0;
    for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
        if (generated.length === 0) {
            first = performance.now();
            onFirst?.(first - begin);
        }
        generated.push(token);
        if (generated.length === count + 1) {
            break;
        }
    }
    const decodeSeconds = (performance.now() - first) / 1000;
    sequence.dispose();
    return { generated, decodeSeconds };
}

for (let run = 0; run < runs; run++) {
    let prefillMs = 0;
    const { decodeSeconds } = await generate(prompt(PrefillTokens, 0), DecodeTokens, ms => { prefillMs = ms; });
    console.log(`RESULT prefill=${(PrefillTokens / (prefillMs / 1000)).toFixed(2)} decode=${(DecodeTokens / decodeSeconds).toFixed(2)}`);
}

// CHECK_SEED: the cross-check prompt's seed, as in GgufBench (default 2: no near-tie on the random model).
const { generated } = await generate(prompt(16, Number(process.env.CHECK_SEED ?? 2)), CheckTokens - 1);
console.log(`GREEDY ${generated.join(",")}`);
await context.dispose();
await model.dispose();
await llama.dispose();
