#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript /
# spark.worker.resource.gpu.discoveryScript): prints the CUDA devices this machine has as Spark's
# resource JSON, e.g. {"name": "gpu", "addresses": ["0","1"]}: the CUDA ordinals an executor uses.
# When CUDA_VISIBLE_DEVICES restricts the devices (a container, YARN), CUDA numbers the visible
# ones 0..k-1, so those are printed. A machine without NVIDIA GPUs prints an empty list.
# Unverified: written for nvidia-smi's documented CSV output; no GPU was available to run it.
set -euo pipefail
addresses=()
if command -v nvidia-smi > /dev/null 2>&1; then
  while IFS= read -r index; do
    index="${index//[[:space:]]/}"
    [ -n "$index" ] && addresses+=("\"$index\"")
  done < <(nvidia-smi --query-gpu=index --format=csv,noheader 2> /dev/null || true)
fi
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
  addresses=()
  IFS=',' read -ra visible <<< "$CUDA_VISIBLE_DEVICES"
  n=0
  for v in "${visible[@]}"; do
    v="${v//[[:space:]]/}"
    [ -n "$v" ] && addresses+=("\"$n\"") && n=$((n + 1))
  done
fi
(IFS=,; echo "{\"name\": \"gpu\", \"addresses\": [${addresses[*]:-}]}")
