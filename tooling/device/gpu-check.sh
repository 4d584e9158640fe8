#!/usr/bin/env bash
# One check of Nutshell on a machine with an NVIDIA GPU, in under 8 minutes, writing one report file.
#
#   tooling/device/gpu-check.sh            # report in $OUT/gpu-check-report.md (or ./gpu-check-report.md)
#
# From the repository root. What it does, each step with its own time limit so the whole run stays under 8 min:
#   1. the machine: nvidia-smi, the Vulkan devices, Node;
#   2. installs from the repository (pnpm, frozen lockfile; reuses node_modules when present) and builds the
#      packages the checks import (turbo, filtered);
#   3. the WebGPU probe through Dawn on the GPU's Vulkan driver (NUTSHELL_WEBGPU_BACKEND=vulkan); the run stops
#      if Dawn gives only a software adapter (lavapipe), since then nothing below would say anything about the GPU;
#   4. the conformance suites on webgpu, every op on the GPU: the kernel-level suite (backend-webgpu) and the
#      stack suite (tooling/conformance: conv algorithms, pooling, layers, losses, optimizers, LeNet curve);
#   5. the CUDA probe (@nutshell/backend-cuda's diagnoseCuda: driver, CUDA/cuDNN libraries, tfjs-node-gpu);
#   6. the webgpu benchmarks (tooling/bench bench:webgpu: matmul, conv2d forward/backward, a LeNet step; webgpu
#      vs wasm vs cpu, each checked against the CPU's numbers).
# GPU_CHECK_NO_BUILD=1 skips the build (a dry run where dist/ is current); GPU_CHECK_BENCH_BUDGET (default 470)
# is the second of the run after which the benchmarks are not started.
# Exit status: 0 when the adapter is a hardware one and both conformance suites passed, 1 otherwise.
set -uo pipefail
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 TURBO_TELEMETRY_DISABLED=1 NUTSHELL_WEBGPU_BACKEND=vulkan
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
OUTDIR="${OUT:-$ROOT}"
mkdir -p "$OUTDIR"
REPORT="$OUTDIR/gpu-check-report.md"
LOGS="$OUTDIR/gpu-check-logs"
mkdir -p "$LOGS"
START=$(date +%s)
status=0

say() { printf '%s\n' "$*" >>"$REPORT"; }
elapsed() { echo $(($(date +%s) - START)); }
# step NAME SECONDS COMMAND...: runs with a time limit, logs to $LOGS/NAME.log, records the outcome.
step() {
  local name="$1" limit="$2"
  shift 2
  local t0=$(date +%s)
  timeout --kill-after=10 "$limit" "$@" >"$LOGS/$name.log" 2>&1
  local rc=$?
  local took=$(($(date +%s) - t0))
  local what="ok"
  [ $rc -eq 124 ] && what="TIMED OUT after ${limit} s"
  [ $rc -ne 0 ] && [ $rc -ne 124 ] && what="FAILED (exit $rc)"
  say "- **$name**: $what in ${took} s (log: gpu-check-logs/$name.log)"
  return $rc
}

: >"$REPORT"
say "# Nutshell GPU check"
say ""
say "Run at $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
say ""
say "## Machine"
say '```'
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -8 >>"$REPORT"
else
  say "nvidia-smi: not available (no NVIDIA driver here)"
fi
{ command -v vulkaninfo >/dev/null && vulkaninfo --summary 2>/dev/null | grep -E 'deviceName|driverName|apiVersion' | head -12; } >>"$REPORT" || say "vulkaninfo: not installed"
say "node $(node --version 2>/dev/null || echo missing)"
say '```'
say ""
say "## Steps"

if [ ! -d node_modules/.pnpm ]; then
  step install 180 corepack pnpm install --frozen-lockfile || status=1
fi
[ "${GPU_CHECK_NO_BUILD:-}" = 1 ] || step build 150 corepack pnpm exec turbo run build --output-logs=errors-only \
  --filter=@nutshell/backend-webgpu... --filter=@nutshell/backend-cuda... --filter=@nutshell/stack-conformance... \
  --filter=@nutshell/bench... || status=1

# 3. The adapter Dawn gives on Vulkan: it must be the GPU, not lavapipe.
step probe 60 node --input-type=module -e "
  const { createWebgpuBackend } = await import('./packages/backend-webgpu/dist/index.js');
  const p = createWebgpuBackend({ dawnBackend: 'vulkan', cpuForward: false });
  const r = await p.probe();
  console.log(JSON.stringify({ probe: r, adapter: p.adapterInfo() }, null, 2));
  if (!r.usable) process.exit(2);
  if (p.adapterInfo()?.isSoftware) { console.error('software adapter: the GPU is not used'); process.exit(3); }
" || status=1
say ""
say "### WebGPU adapter"
say '```'
head -c 3000 "$LOGS/probe.log" >>"$REPORT"
say '```'

if [ $status -eq 0 ]; then
  say ""
  say "### Conformance on the GPU"
  (cd packages/backend-webgpu && step conformance-kernels 150 corepack pnpm exec vitest run src/conformance.test.ts src/kernels src/validationGuard.test.ts src/switching.test.ts) || status=1
  (cd tooling/conformance && step conformance-stack 150 corepack pnpm exec vitest run src/webgpu.test.ts) || status=1
  for log in conformance-kernels conformance-stack; do
    say "- $log: $(grep -aE 'Tests +[0-9]' "$LOGS/$log.log" | tail -1 | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' ')"
    grep -aE '✗|×|FAIL' "$LOGS/$log.log" | sed 's/\x1b\[[0-9;]*m//g' | head -20 | sed 's/^/  - /' >>"$REPORT"
  done
fi

say ""
say "### CUDA probe"
step cuda-probe 60 node --input-type=module -e "
  const { diagnoseCuda } = await import('./packages/backend-cuda/dist/index.js');
  const d = await diagnoseCuda();
  console.log(JSON.stringify(d, null, 2));
" || true
say '```'
head -c 4000 "$LOGS/cuda-probe.log" >>"$REPORT"
say '```'

left=$((${GPU_CHECK_BENCH_BUDGET:-470} - $(elapsed)))
if [ $left -gt 30 ]; then
  say ""
  say "### WebGPU benchmarks (webgpu vs wasm vs cpu)"
  (cd tooling/bench && step bench-webgpu "$left" corepack pnpm run bench:webgpu --dawn vulkan --cpu-reps 1) || true
  say '```'
  tail -n 40 "$LOGS/bench-webgpu.log" | sed 's/\x1b\[[0-9;]*m//g' >>"$REPORT"
  say '```'
else
  say "- **bench-webgpu**: not run (${left} s left of the 8-minute budget)"
fi

say ""
say "Total: $(elapsed) s. Result: $([ $status -eq 0 ] && echo 'hardware adapter, conformance passed' || echo 'NOT PASSED (see the steps above)')."
echo "report: $REPORT"
exit $status
