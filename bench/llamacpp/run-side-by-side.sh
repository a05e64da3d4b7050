#!/usr/bin/env bash
# Our CPU engine vs llama.cpp on the same GGUF files, alternating engines run by run, 2 threads each.
#   bench/llamacpp/install.sh                     (once: llama.cpp's prebuilt CPU libraries from npm)
#   [TYPES="q4_k q6_k"] bench/llamacpp/run-side-by-side.sh [folder] [runs]
# Writes the TinyLlama-shaped random model as GGUF of each type in TYPES (default q8_0 q4_0 f16; also q4_k, q6_k) into
# [folder] (default /tmp/nlps-gguf-bench) unless present, then for each file and run: one process of each engine (load excluded), prefill of 512 tokens, decode of
# 128. Prints every RESULT line with engine, file and load average; summarise with min/median/max.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
folder="${1:-/tmp/nlps-gguf-bench}"
runs="${2:-3}"
threads=2
export DECODE_TOKENS="${DECODE_TOKENS:-128}"  # decode steps per run (both engines)
bench="$root/bench/Nlps.Inference.Bench/bin/Release/net10.0/Nlps.Inference.Bench.dll"
dotnet build "$root/bench/Nlps.Inference.Bench" -c Release -v q -nologo >/dev/null
[ -d "$root/bench/llamacpp/node_modules/node-llama-cpp" ] || "$root/bench/llamacpp/install.sh"
types="${TYPES:-q8_0 q4_0 f16}"

# Our engine's in-memory format per file: F16 widens to f32 (exact; bf16 would round f16 values), Q8_0 → int8, Q4_0 → int4,
# Q4_K and Q6_K load as themselves ("auto": int4 with a scale and min per 32, int8 with a scale per 16; both exact).
declare -A ours=([f16]=f32 [q8_0]=int8 [q4_0]=int4 [q4_k]=auto [q6_k]=auto)
for type in $types; do
  file="$folder/tinyllama-random.$type.gguf"
  [ -f "$file" ] || dotnet "$bench" gguf-write "$folder" "$type"
  for run in $(seq 1 "$runs"); do
    extra=""; [ "$run" = 1 ] && [ "$type" != f16 ] && [ "${BATCH:-1}" = 1 ] && extra=batch  # BATCH=0: skip the 8-sequence aggregate
    echo "== $type run $run ours decode=$DECODE_TOKENS (load $(cut -d' ' -f1-3 /proc/loadavg))"
    dotnet "$bench" gguf "$file" "${ours[$type]}" "$threads" 1 $extra | sed "s/^/ours $type: /"
    echo "== $type run $run llama.cpp (load $(cut -d' ' -f1-3 /proc/loadavg))"
    node "$root/bench/llamacpp/bench.mjs" "$file" "$threads" 1 | sed "s/^/llama.cpp $type: /"
  done
done
