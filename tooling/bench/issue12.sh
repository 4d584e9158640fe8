#!/usr/bin/env bash
# Issue 12's benchmark in one go, every part in one sitting: training peers (W1–W3), matmul 1024² against numpy,
# the 1,000-step leak check, and the main job against the baseline. Writes each part's markdown and log to $OUT.
#
#   ROUNDS=3 JOB_ROUNDS=3 OUT=/tmp/bench-issue12 bash tooling/bench/issue12.sh
#   TRAIN_ARGS='--peers native,wasm,baseline,torch-1t,torch-2t' bash tooling/bench/issue12.sh   # a shorter run
#   PARTS=train,main-job, MATMUL_ARGS, LEAK_ARGS, JOB_ARGS: pick parts and pass options to each script
#
# The baseline is a separate clone (never a checkout in the working tree), built with its own setup:
#   git clone -q <this repo> /tmp/nutshell-baseline && cd /tmp/nutshell-baseline && git checkout -q 315b921
#   pnpm install --offline --frozen-lockfile && pnpm exec turbo run build --filter=@nutshell/cli...
set -uo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
JOB_ROUNDS=${JOB_ROUNDS:-$ROUNDS}
OUT=${OUT:-/tmp/bench-issue12-$(date -u +%m%d-%H%M)}
PARTS=${PARTS:-train,matmul,leak,main-job}
mkdir -p "$OUT"

{
  echo "# issue 12 benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), tree $(git rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
  # A source edited after its package's last build means the figures are not those of the sources.
  for dir in ../../packages/*/; do
    [ -d "$dir/dist" ] || continue
    built=$(find "$dir/dist" -type f -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
    [ -n "$built" ] || continue
    newer=$(find "$dir/src" -name '*.ts' ! -name '*.test.ts' -newer "$built" | head -3)
    [ -n "$newer" ] && echo "warning: $(basename "$dir")'s dist is older than: $newer"
  done
} | tee "$OUT/summary.md"

part() { [[ ",$PARTS," == *",$1,"* ]]; }
if part train; then
  # shellcheck disable=SC2086
  pnpm exec tsx src/train-peers.ts --rounds "$ROUNDS" --json "$OUT/train.json" ${TRAIN_ARGS:-} \
    >"$OUT/train.md" 2>"$OUT/train.log"
  cat "$OUT/train.md" | tee -a "$OUT/summary.md"
fi
# shellcheck disable=SC2086
if part matmul; then
  pnpm exec tsx src/matmul-gflops.ts --rounds "$ROUNDS" ${MATMUL_ARGS:-} >"$OUT/matmul.md" 2>"$OUT/matmul.log"
  cat "$OUT/matmul.md" | tee -a "$OUT/summary.md"
fi
# shellcheck disable=SC2086
if part leak; then
  pnpm exec tsx src/leak-check.ts ${LEAK_ARGS:-} >"$OUT/leak.md" 2>"$OUT/leak.log"
  cat "$OUT/leak.md" | tee -a "$OUT/summary.md"
fi
# shellcheck disable=SC2086
if part main-job; then
  pnpm exec tsx src/main-job.ts --rounds "$JOB_ROUNDS" ${JOB_ARGS:-} >"$OUT/main-job.md" 2>"$OUT/main-job.log"
  cat "$OUT/main-job.md" | tee -a "$OUT/summary.md"
fi
echo "done $(date -u '+%H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg); files in $OUT" | tee -a "$OUT/summary.md"
