#!/usr/bin/env bash
# The chatbot reads PDFs through Debian's pdftotext (poppler-utils); its tests need it like an appliance does.
set -euo pipefail
command -v pdftotext >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq poppler-utils >/dev/null
