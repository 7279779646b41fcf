#!/usr/bin/env bash
# Held-out perplexity with many windows: 16 pieces of the longest length spread evenly through
# eval-books and 16 through eval-prose (32 documents per length, "pieces" in the eval plan), for
# every setting of run-50.sh and run-ft.sh, plus the no-mixing ablation of LongRoPE2's fine-tune
# (ft-8x/longrope2-nomix.json: the same budget, every sequence long) with its passkey grid.
# Fine-tuned models are not committed; missing ones are trained again from their configs.
# Run from the repository root after run-50.sh: results/longrope2-bundled/run-heldout.sh
set -euo pipefail
R=results/longrope2-bundled
LR="${LONGROPE:-./longrope}"
for m in ntk yarn longrope longrope2 longrope2-nomix; do
  [ -f $R/ft-8x/$m/final/config.json ] || $LR train --config $R/ft-8x/$m.json --threads 2
done
for p in heldout-8x heldout-8x-ft eval-8x-50-ft-nomix heldout-16x; do
  [ -f $R/$p/summary.md ] || $LR eval --config $R/$p.json
done
# the mixed-window model of this script's training round, for the ablation's passkey side by side
# (eval-8x-50-ft/ evaluated an earlier training round of the same config)
[ -f $R/eval-8x-50-ft-mixed/summary.md ] || $LR eval --config $R/eval-8x-50-ft-mixed.json
