#!/usr/bin/env bash
# Installs what the independent logits oracle (make_oracle.py) needs: Debian's PyTorch and NumPy. Only people who
# regenerate the committed oracle files run this; the C# tests read the committed files and need no Python.
set -euo pipefail
if /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-torch python3-numpy
