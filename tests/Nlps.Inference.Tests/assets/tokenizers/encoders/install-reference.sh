#!/usr/bin/env bash
# Installs the JavaScript reference (transformers.js 4.3.1 and its @huggingface/tokenizers) into ./node_modules
# (git-ignored). --ignore-scripts: only the tokenizers are used, so onnxruntime's native download is skipped.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/@huggingface/transformers ] && exit 0
npm install --ignore-scripts --no-audit --no-fund --no-package-lock >/dev/null
