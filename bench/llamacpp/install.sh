#!/usr/bin/env bash
# Installs llama.cpp's prebuilt CPU libraries (node-llama-cpp + @node-llama-cpp/linux-x64, pinned in package.json)
# into bench/llamacpp/node_modules. Optional GPU packages are skipped and install scripts are not run: nothing is
# downloaded or built outside the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --omit=optional --ignore-scripts --no-audit --no-fund
