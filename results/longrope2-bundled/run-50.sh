#!/usr/bin/env bash
# The head to head with >= 50 passkey prompts per length (perplexity: eval-books is one book, so
# the truncated protocol still scores one window per length), at 8x (the searches of run.sh)
# and 16x (L = 256 -> 4096; searches with 2 iterations, 24 candidates).
# Run from the repository root after run.sh: results/longrope2-bundled/run-50.sh
set -euo pipefail
R=results/longrope2-bundled
T="--threads 1"
LR="${LONGROPE:-./longrope}"
[ -f $R/eval-8x-50/summary.md ] || $LR eval --config $R/eval-8x-50.json
[ -f $R/search16-critical-needle/final/summary.json ] || $LR search --model models/bundled \
  --data datasets/corpus/data/search.bin --target-length 4096 --config $R/search16-budget-critical.json \
  --fitness needle --samples 2 --split-documents $T --run $R/search16-critical-needle \
  $( [ -f $R/search16-critical-needle/config.json ] && echo --resume )
[ -f $R/search16-dim-mono-ppl/final/summary.json ] || $LR search --model models/bundled \
  --data datasets/corpus/data/search.bin --target-length 4096 --config $R/search16-budget.json \
  --samples 2 $T --run $R/search16-dim-mono-ppl \
  $( [ -f $R/search16-dim-mono-ppl/config.json ] && echo --resume )
[ -f $R/eval-16x-50/summary.md ] || $LR eval --config $R/eval-16x-50.json
