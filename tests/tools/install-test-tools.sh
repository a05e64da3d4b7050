#!/usr/bin/env bash
# Installs the Debian tools that tests need and that a fresh machine lacks:
#   promtool  (package prometheus)      checks our /metrics exposition and packaging/ rules
#   chromium  (package chromium)        the real browser the console tests drive through Playwright
#   fonts-noto-cjk                      so Korean renders in that browser (and in its screenshots)
# Usage: install-test-tools.sh [promtool] [chromium]   (no argument: everything)
# Idempotent and quiet when everything is present; the test support calls it when a tool is missing.
set -euo pipefail

want_promtool=0
want_chromium=0
if [ "$#" -eq 0 ]; then want_promtool=1; want_chromium=1; fi
for arg in "$@"; do
  case "$arg" in
    promtool) want_promtool=1 ;;
    chromium) want_chromium=1 ;;
    *) echo "install-test-tools: unknown tool '$arg' (promtool, chromium)" >&2; exit 2 ;;
  esac
done

packages=()
if [ "$want_promtool" -eq 1 ] && ! command -v promtool >/dev/null 2>&1; then packages+=(prometheus); fi
if [ "$want_chromium" -eq 1 ]; then
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || packages+=(fonts-noto-cjk)
fi
[ "${#packages[@]}" -eq 0 ] && exit 0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-tools: need root (or sudo) to install ${packages[*]}" >&2; exit 1; }
  sudo_cmd=(sudo -n)
fi

# Serialise concurrent callers (parallel test classes, several worktrees on one machine).
exec 9>/tmp/nlps-install-test-tools.lock
flock 9
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine; refresh once before installing.
"${sudo_cmd[@]}" apt-get update -qq >/dev/null
# The prometheus package starts a server through its postinst when systemd runs; tests need only promtool.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-test-tools: installed ${packages[*]}"
