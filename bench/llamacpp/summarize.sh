#!/usr/bin/env bash
# Min / median / max per engine, file type and measure from the output of run-side-by-side.sh.
#   bench/llamacpp/summarize.sh side.log
set -euo pipefail
grep -E '^(ours|llama\.cpp) [a-z0-9_]+: RESULT' "$1" | sed -E 's/^([^ ]+) ([^:]+): RESULT prefill=([0-9.]+) decode=([0-9.]+)/\1 \2 \3 \4/' |
  sort -k2,2 -k1,1 | awk '
    function report(key, values, n,   i, j, t, sorted) {
      for (i = 1; i <= n; i++) sorted[i] = values[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
      printf "%-24s n=%d min %.2f / median %.2f / max %.2f\n", key, n, sorted[1], sorted[int((n + 1) / 2)], sorted[n]
    }
    { k = $1 " " $2; p[k, ++n[k]] = $3; d[k, n[k]] = $4; keys[k] = 1 }
    END {
      for (k in keys) {
        for (i = 1; i <= n[k]; i++) { pv[i] = p[k, i]; dv[i] = d[k, i] }
        report(k " prefill", pv, n[k]); report(k " decode", dv, n[k])
      }
    }' | sort
