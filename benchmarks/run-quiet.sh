#!/usr/bin/env bash
# Runs benchmark scripts N times each, one after another, for the "3 of 3 runs on a quiet machine"
# figures in benchmarks/README.md. Before each run it prints the machine's load and CPU pressure, so a
# run taken while something else worked shows it. Output: stdout and benchmarks/.runs/<time>-<script>-<n>.log.
# Usage: benchmarks/run-quiet.sh [runs=3] [script ...]   (default: every bench:* script of package.json)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
shift || true
scripts=("$@")
if [ ${#scripts[@]} -eq 0 ]; then
  mapfile -t scripts < <(node -e 'for (const k of Object.keys(require("./package.json").scripts)) if (k.startsWith("bench:")) console.log(k)')
fi
mkdir -p benchmarks/.runs
for run in $(seq 1 "$runs"); do
  for script in "${scripts[@]}"; do
    log="benchmarks/.runs/$(date -u +%Y%m%dT%H%M%SZ)-${script#bench:}-${run}.log"
    {
      printf '=== %s, run %s of %s, %s UTC\n' "$script" "$run" "$runs" "$(date -u '+%F %T')"
      printf 'load average: %s; cpu pressure: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(head -1 /proc/pressure/cpu 2>/dev/null || echo n/a)"
    } | tee "$log"
    npm run --silent "$script" 2>&1 | tee -a "$log"
  done
done
