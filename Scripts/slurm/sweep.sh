#!/bin/bash
#SBATCH --job-name=edgesim-sweep
#SBATCH --array=1-8
#SBATCH --cpus-per-task=4
#SBATCH --time=01:00:00
# One part per array task: sbatch sweep.sh [SPEC.yaml [PARTS]], by default
# sweep.yaml in 8 parts. SLURM_ARRAY_TASK_ID is the part, 1..PARTS, written to
# part-K.sqlite in the directory sbatch ran in. A task resubmitted alone needs
# the same PARTS: sbatch --array=3 sweep.sh SPEC.yaml 8.
set -eu
spec="${1:-sweep.yaml}"
parts="${2:-8}"
k="${SLURM_ARRAY_TASK_ID:?submit as a job array: sbatch --array=1-$parts sweep.sh}"
exec edgesim sweep "$spec" --db "part-${k}.sqlite" \
  --shard "${k}/${parts}" --jobs "${SLURM_CPUS_PER_TASK:-1}"
