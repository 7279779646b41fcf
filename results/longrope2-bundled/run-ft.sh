#!/usr/bin/env bash
# The same fine-tuning budget for each method at 8x (L = 256 -> 2048): 20 steps x 2 sequences x 2048
# tokens from models/bundled, one config per method in ft-8x/ (NTK, YaRN, LongRoPE's and LongRoPE2's
# searched factors; LongRoPE2 with mixed context window training),
# then the 50-prompt evaluation of eval-8x-50.json on the fine-tuned models.
# Run from the repository root after run.sh: results/longrope2-bundled/run-ft.sh
set -euo pipefail
R=results/longrope2-bundled
LR="${LONGROPE:-./longrope}"
for m in ntk yarn longrope longrope2; do
  [ -f $R/ft-8x/$m/final/config.json ] || $LR train --config $R/ft-8x/$m.json --threads 2
done
[ -f $R/eval-8x-50-ft/summary.md ] || $LR eval --config $R/eval-8x-50-ft.json
