#!/usr/bin/env bash
# Runs Documentation/SweepSharding.md's Slurm job array for real: installs
# Debian's slurm-wlm and munge if missing, starts a one-node cluster on this
# machine (munged, slurmctld, slurmd; as many CPUs as `nproc`), submits
# Scripts/slurm/sweep.sh -- the script the document shows, checked equal to
# it first -- as a 4-task array over Workloads/sweeps/example.yaml (224
# points), merges the parts and checks the merged file equals an unsharded run
# point for point. Then it runs the array again, cancels task 2 once its part
# has some but not all of its points, resubmits that task alone, and checks
# that it resumed and that the merge equals the unsharded run again.
#
#   Scripts/slurm-sweep-check.sh        # as root (CI); about 3 minutes on 2 cores
#
# Environment: EDGESIM names the edgesim binary (default: the debug build,
# built if missing); SLURM_CHECK_DIR (default ${TMPDIR:-/tmp}/edgesim-slurm-check)
# is the only place anything is written (configuration, daemons' state,
# sockets and logs, the results files). It is emptied at the start, after
# stopping the daemons a previous run left there, and removed at the end
# unless the check failed. The daemons are stopped on exit, by PID.
#
# The comparison is SQL over both files (sqlite3): every column of `points`,
# `sweep_info` and `search_choices`, exact values (EXCEPT both ways), with no
# column ignored: a results file holds no timestamps or worker identifiers
# outside `claims`, which must be empty in both (Documentation/ResultsDatabase.md).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
spec="$repo/Workloads/sweeps/example.yaml"
job_script="$repo/Scripts/slurm/sweep.sh"
doc="$repo/Documentation/SweepSharding.md"
parts=4
work="${SLURM_CHECK_DIR:-${TMPDIR:-/tmp}/edgesim-slurm-check}"
started=$SECONDS

say() { printf '== [%3ds] %s\n' $((SECONDS - started)) "$*"; }
die() {
  echo "slurm-sweep-check: error: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (it starts slurmd and installs packages)"

# --- the binary ------------------------------------------------------------
if [ -z "${EDGESIM:-}" ]; then
  bin="$(cd "$repo" && swift build --show-bin-path)"
  [ -x "$bin/edgesim" ] || (cd "$repo" && swift build --product edgesim)
  EDGESIM="$bin/edgesim"
fi
[ -x "$EDGESIM" ] || die "EDGESIM=$EDGESIM is not an executable"
EDGESIM="$(cd "$(dirname "$EDGESIM")" && pwd)/$(basename "$EDGESIM")"

# --- the document shows the job script that is run -------------------------
# The first fenced block under "## Slurm job array" must be the script file.
shown="$(awk '
  /^## / { inside = ($0 == "## Slurm job array") }
  inside && /^```/ { if (block) exit; block = 1; next }
  inside && block { print }' "$doc")"
if [ "$shown" != "$(cat "$job_script")" ]; then
  diff <(printf '%s\n' "$shown") "$job_script" >&2 || true
  die "$doc's job array script differs from Scripts/slurm/sweep.sh (diff above)"
fi

# --- packages --------------------------------------------------------------
# slurm-wlm is the metapackage of slurmctld, slurmd and slurm-client.
packages=(slurm-wlm munge sqlite3)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- daemons ---------------------------------------------------------------
export SLURM_CONF="$work/etc/slurm.conf"
daemons=(slurmd slurmctld munged) # stopped in this order

# The PID a daemon wrote to its pid file in $work, if that process is alive
# and is that daemon.
daemon_pid() {
  local pid
  local file="$work/run/$1.pid"
  [ "$1" != munged ] || file="$work/munge/munged.pid"
  pid="$(cat "$file" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && echo "$pid"
}

# Cancels every job of this cluster and waits (10 s at most) until none runs,
# so that no slurmstepd or edgesim outlives the daemons.
cancel_all() {
  daemon_pid slurmctld >/dev/null || return 0
  scancel --quiet --user=root 2>/dev/null || true
  local i
  for i in $(seq 50); do
    [ -z "$(squeue -h -t running,completing 2>/dev/null)" ] && return 0
    sleep 0.2
  done
}

stop_daemons() {
  cancel_all
  local name pid i
  for name in "${daemons[@]}"; do
    pid="$(daemon_pid "$name")" || continue
    kill "$pid" 2>/dev/null || true
    for i in $(seq 50); do
      [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || break
      sleep 0.2
    done
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  done
}

show_logs() {
  local f
  if daemon_pid slurmctld >/dev/null; then
    echo "---- squeue -t all"
    squeue -t all -o '%.18i %.10T %.10M %R' 2>&1 || true
  fi
  for f in "$work"/log/* "$work"/munge/munged.log "$work"/run*/slurm-*.out; do
    [ -f "$f" ] || continue
    echo "---- $f (last 40 lines)"
    tail -n 40 "$f"
  done
}

on_exit() {
  local status=$?
  trap - EXIT
  if [ $status -ne 0 ]; then
    echo "slurm-sweep-check: FAILED after $((SECONDS - started)) s; logs follow (files kept in $work)" >&2
    show_logs >&2
  fi
  stop_daemons
  if [ $status -eq 0 ]; then rm -rf "$work"; fi
  exit $status
}

# A previous run's daemons, then a fresh directory.
if [ -d "$work" ]; then
  say "stopping what a previous run left in $work"
  stop_daemons
  rm -rf "$work"
fi
trap on_exit EXIT
trap 'exit 130' INT TERM
mkdir -p "$work"/{etc,run,log,state,spool,bin,run1,run2}
chmod 755 "$work"

# A port nothing listens on, from $1 upwards.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

say "starting munged, slurmctld and slurmd in $work"
# munged refuses to run as root; its files belong to the munge user.
mkdir -p "$work/munge"
head -c 1024 /dev/urandom >"$work/munge/munge.key"
chmod 755 "$work/munge" # clients need to reach the socket
chmod 400 "$work/munge/munge.key"
chown -R munge:munge "$work/munge"
socket="$work/munge/munge.socket"
runuser -u munge -- munged --socket="$socket" --key-file="$work/munge/munge.key" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed"
munge -n -S "$socket" | unmunge -S "$socket" >/dev/null || die "munged does not answer on $socket"

host="$(hostname -s)"
ctld_port="$(free_port 6817)"
slurmd_port="$(free_port $((ctld_port + 1)))"
cpus="$(nproc)"
memory_mb=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 / 2))
: >"$work/etc/plugstack.conf"
# The host name need not resolve (127.0.0.1 everywhere); the cgroup plugins
# need cgroup controllers a container may lack, so processes are tracked
# through /proc and tasks are not bound.
cat >"$SLURM_CONF" <<EOF
ClusterName=edgesimcheck
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
PlugStackConfig=$work/etc/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=check Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

# Waits (at most $2 seconds) until the command $1 succeeds.
wait_for() {
  local what=$1 limit=$2 deadline=$((SECONDS + $2))
  until eval "$what"; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${limit} s waiting for: $what"
    sleep 0.5
  done
}
wait_for '[ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ]' 60
say "node $host idle with $cpus CPUs (slurmctld port $ctld_port, slurmd port $slurmd_port)"

# --- helpers over results files --------------------------------------------
points_in() { sqlite3 "file:$1?mode=ro" "SELECT count(*) FROM points" 2>/dev/null || echo 0; }

# Fails unless results files $1 and $2 hold the same points, sweep facts and
# search outcomes, value for value, and no claims.
same_results() {
  local table counts
  for table in points sweep_info search_choices; do
    counts="$(sqlite3 "file:$1?mode=ro" "ATTACH 'file:$2?mode=ro' AS b;
      SELECT (SELECT count(*) FROM main.$table), (SELECT count(*) FROM b.$table),
        (SELECT count(*) FROM (SELECT * FROM main.$table EXCEPT SELECT * FROM b.$table)),
        (SELECT count(*) FROM (SELECT * FROM b.$table EXCEPT SELECT * FROM main.$table));")"
    if [ "$(echo "$counts" | awk -F'|' '{ print ($1 == $2 && $3 == 0 && $4 == 0) }')" != 1 ]; then
      echo "$table differs: rows, rows, only-in-first, only-in-second = $counts" >&2
      if [ "$table" = points ]; then
        sqlite3 "file:$1?mode=ro" "ATTACH 'file:$2?mode=ro' AS b;
          SELECT 'only in $(basename "$1"): ' || point_id FROM (SELECT * FROM main.points EXCEPT SELECT * FROM b.points) LIMIT 5;
          SELECT 'only in $(basename "$2"): ' || point_id FROM (SELECT * FROM b.points EXCEPT SELECT * FROM main.points) LIMIT 5;" >&2
      fi
      return 1
    fi
  done
  for f in "$1" "$2"; do
    [ "$(sqlite3 "file:$f?mode=ro" "SELECT count(*) FROM claims")" = 0 ] || {
      echo "$f has claims left" >&2
      return 1
    }
  done
}

# Task states of job $1, "ID STATE" lines.
task_states() { squeue -h -t all -j "$1" -o '%i %T' 2>/dev/null | sort; }

# Waits (at most $2 seconds) until no task of job $1 is pending or running,
# then fails unless the tasks listed in $3 ("1 2 3 4") completed with a
# summary line for their part and no error in their logs.
wait_job() {
  local job=$1 limit=$2 tasks=$3 dir=$4 k log
  wait_for "[ -z \"\$(squeue -h -j $job -t pending,running,completing,configuring 2>/dev/null)\" ]" "$limit"
  for k in $tasks; do
    task_states "$job" | grep -qx "${job}_$k COMPLETED" \
      || die "task ${job}_$k did not complete: $(task_states "$job" | tr '\n' ' ')"
    log="$dir/slurm-${job}_$k.out"
    grep -q "^$name shard $k/$parts: " "$log" || die "$log has no summary line of part $k/$parts"
    if grep -qi "error" "$log"; then die "$log reports an error"; fi
  done
}

submit() { # DIR ARRAY -> job id (of sweep file $spec, named $name)
  sbatch --parsable --chdir="$1" --array="$2" --cpus-per-task=1 --time=00:15:00 \
    "$job_script" "$spec" "$parts"
}

# Runs sweep file $spec unsharded into $1 and sets per_part, part 2's size.
unsharded() {
  say "unsharded run of $(basename "$spec") with --jobs $cpus"
  local t0=$SECONDS
  timeout 900 edgesim sweep "$spec" --db "$1" --jobs "$cpus" \
    || die "the unsharded run of $(basename "$spec") failed"
  say "unsharded: $(points_in "$1") points in $((SECONDS - t0)) s"
  per_part="$(sqlite3 "$1" "SELECT (count(*) + $parts - 2) / $parts FROM points")"
}

# edgesim on the PATH the job script sees (sbatch exports the environment).
ln -s "$EDGESIM" "$work/bin/edgesim"
export PATH="$work/bin:$PATH"

# --- the unsharded run -----------------------------------------------------
name=example
unsharded "$work/whole.sqlite"

# --- 1: the array, merged --------------------------------------------------
say "1: sbatch --array=1-$parts sweep.sh"
t0=$SECONDS
job="$(submit "$work/run1" "1-$parts")"
wait_job "$job" 600 "$(seq -s ' ' $parts)" "$work/run1"
say "1: job $job: $parts tasks completed in $((SECONDS - t0)) s"
(cd "$work/run1" && edgesim sweep merge merged.sqlite part-*.sqlite) \
  || die "merging the parts of run1 into merged.sqlite failed"
same_results "$work/whole.sqlite" "$work/run1/merged.sqlite" \
  || die "1: the merged parts differ from the unsharded run"
say "1: merged file equals the unsharded run ($(points_in "$work/run1/merged.sqlite") points)"

# --- 2: task 2 cancelled mid-run and resubmitted ---------------------------
# The example's parts take a fraction of a second, too short to cancel one
# mid-run reliably, so this run sweeps 3,600 simulation points (ResNet-50 on
# Eyeriss over 60 clocks x 60 DRAM bandwidths, bundled model and device), about
# 15 s a part on one core, against an unsharded run of the same file.
spec="$work/long.yaml"
name=long
{
  echo "name: long"
  echo "strategy: grid"
  echo "studies:"
  echo "  - models: resnet50"
  echo "    devices: eyeriss-v1"
  echo "    hardware:"
  echo "      clock: [$(seq -s ', ' 100 2 218 | sed 's/\([0-9][0-9]*\)/\1 MHz/g')]"
  echo "      bandwidth: [$(seq -s ', ' 1 60 | sed 's/\([0-9][0-9]*\)/\1 GB\/s/g')]"
} >"$spec"
unsharded "$work/whole-long.sqlite"

say "2: sbatch --array=1-$parts sweep.sh; scancel task 2 mid-run"
t0=$SECONDS
job="$(submit "$work/run2" "1-$parts")"
part2="$work/run2/part-2.sqlite"
wait_for '[ "$(points_in "$part2")" -ge $((per_part / 4)) ]' 300
scancel "${job}_2"
wait_for "task_states $job | grep -qx '${job}_2 CANCELLED'" 60
wait_job "$job" 600 "1 3 4" "$work/run2"
kept="$(points_in "$part2")"
[ "$kept" -gt 0 ] && [ "$kept" -lt "$per_part" ] \
  || die "2: cancelled part 2 has $kept points, not some of its $per_part"
(cd "$work/run2" && edgesim sweep merge partial.sqlite part-*.sqlite) \
  || die "merging the parts of run2 into partial.sqlite failed"
if same_results "$work/whole-long.sqlite" "$work/run2/partial.sqlite" 2>/dev/null; then
  die "2: the merge without the rest of part 2 passed as equal to the unsharded run"
fi
say "2: task 2 cancelled with $kept of $per_part points; the merge lacks the rest (told apart)"
resubmitted="$(submit "$work/run2" 2)"
wait_job "$resubmitted" 600 2 "$work/run2"
grep -q "^$name shard 2/$parts: $per_part points, $kept already recorded, $((per_part - kept)) evaluated" \
  "$work/run2/slurm-${resubmitted}_2.out" \
  || die "2: the resubmitted task did not resume from the $kept recorded points: $(tail -n 1 "$work/run2/slurm-${resubmitted}_2.out")"
say "2: resubmitted as job $resubmitted: resumed, $((per_part - kept)) points evaluated"
(cd "$work/run2" && edgesim sweep merge merged.sqlite part-*.sqlite) \
  || die "merging the parts of run2 into merged.sqlite failed"
same_results "$work/whole-long.sqlite" "$work/run2/merged.sqlite" \
  || die "2: the merged parts after resubmission differ from the unsharded run"
say "2: merged file equals the unsharded run ($(points_in "$work/run2/merged.sqlite") points) in $((SECONDS - t0)) s"
say "passed"
