#!/usr/bin/env bash
# Head to head on the bundled model at 8x (L = 256 -> 2048), no fine-tuning, reduced budget.
# Run from the repository root: results/longrope2-bundled/run.sh
set -euo pipefail
R=results/longrope2-bundled
T="--threads 1"
LR="${LONGROPE:-./longrope}"   # the launcher (a copied jar may be named instead)
# LongRoPE2: critical_dim + needle-driven perplexity
[ -f $R/search-critical-needle/final/summary.json ] || $LR search --model models/bundled \
  --data datasets/corpus/data/search.bin --target-length 2048 --config $R/search-budget-critical.json \
  --fitness needle --samples 2 --split-documents $T --run $R/search-critical-needle \
  $( [ -f $R/search-critical-needle/config.json ] && echo --resume )
# LongRoPE: dim_mono + perplexity
[ -f $R/search-dim-mono-ppl/final/summary.json ] || $LR search --model models/bundled \
  --data datasets/corpus/data/search.bin --target-length 2048 --config $R/search-budget.json \
  --samples 2 $T --run $R/search-dim-mono-ppl \
  $( [ -f $R/search-dim-mono-ppl/config.json ] && echo --resume )
$LR eval --config $R/eval.json
