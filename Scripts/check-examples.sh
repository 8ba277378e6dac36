#!/usr/bin/env bash
# Runs every example the user is shown: each `swift run edgesim …` line of
# README.md, then each `edgesim …` line of every command's --help "Example:"
# block, in that order, in one scratch folder (README's tour makes files the
# help examples use, as a reader following both would). Each must exit 0,
# or 1 where its README comment says "exits 1". Run by CI (.ci/run).
#
#   Scripts/check-examples.sh            # EDGESIM, else swift build's binary
#   EDGESIM=.build/release/edgesim Scripts/check-examples.sh
#
# The scratch folder links the repository's Workloads, Hardware and Tests
# (read-only use) and copies Traces (examples write traces there); the
# repository must be unchanged afterwards. Lines that are not edgesim
# commands (sqlite3 …) are shown, not run. A slow example is killed after
# 15 minutes and fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${EDGESIM:-}" ]; then
  bin=$(cd "$root" && swift build --show-bin-path)
  [ -x "$bin/edgesim" ] || (cd "$root" && swift build --product edgesim)
  EDGESIM=$bin/edgesim
fi
case "$EDGESIM" in /*) ;; *) EDGESIM=$PWD/$EDGESIM ;; esac
[ -x "$EDGESIM" ] || { echo "check-examples: no edgesim binary at $EDGESIM" >&2; exit 1; }
export EDGESIM

scratch=$(mktemp -d "${TMPDIR:-/tmp}/edgesim-examples.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
ln -s "$root/Workloads" "$scratch/Workloads"
ln -s "$root/Hardware" "$scratch/Hardware"
ln -s "$root/Tests" "$scratch/Tests"
cp -R "$root/Traces" "$scratch/Traces"
before=$(cd "$root" && git status --porcelain --untracked-files=all | sort)

examples=$scratch/.examples
: >"$examples"
# README: lines of fenced sh blocks that run edgesim; "exits N" in the
# comment sets the expected status.
awk '/^```sh/{f=1;next} /^```/{f=0} f && /^swift run edgesim/' "$root/README.md" |
  while IFS= read -r line; do
    status=0
    case "$line" in *"# exits "[0-9]*) status=$(sed -E 's/.*# exits ([0-9]+).*/\1/' <<<"$line") ;; esac
    printf '%s\tREADME.md\t%s\n' "$status" "${line#swift run edgesim}" >>"$examples"
  done
# Help: every command's Example block, continuation lines joined.
commands=$(COLUMNS=1000 "$EDGESIM" --help | awk '/^SUBCOMMANDS:/{f=1;next} f && /^  [a-z]/{print $1}')
for command in $commands; do
  subcommands=$(COLUMNS=1000 "$EDGESIM" help $command | awk '/^SUBCOMMANDS:/{f=1;next} f && /^  [a-z]/{print $1}')
  names=("$command")
  for s in $subcommands; do names+=("$command $s"); done
  for name in "${names[@]}"; do
    # shellcheck disable=SC2086 # "sweep run" is two words
    COLUMNS=1000 "$EDGESIM" help $name |
      awk '/^ *Examples?:/{f=1;next} f&&/^ *$/{f=0} f' |
      sed -e ':a' -e '/\\$/N; s/\\\n */ /; ta' |
      while IFS= read -r line; do
        line=$(sed -E 's/^ +//' <<<"$line")
        case "$line" in
          edgesim*) printf '0\t%s --help\t%s\n' "$name" "${line#edgesim}" >>"$examples" ;;
          *) printf -- '-\t%s --help\t%s\n' "$name" "$line" >>"$examples" ;;
        esac
      done
  done
done

if [ "${LIST_ONLY:-}" = 1 ]; then cat "$examples"; exit 0; fi
failures=0
count=0
while IFS=$'\t' read -r expected where command; do
  if [ "$expected" = "-" ]; then
    printf '   -       %-22s (not edgesim: shown only) %s\n' "$where" "$command"
    continue
  fi
  count=$((count + 1))
  start=$(date +%s.%N)
  set +e
  (cd "$scratch" && timeout 900 bash -c "\"\$EDGESIM\" $command") \
    >"$scratch/.out" 2>"$scratch/.err" </dev/null
  status=$?
  set -e
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  if [ "$status" = "$expected" ]; then
    printf '  ok %6ss  %-22s edgesim%s\n' "$seconds" "$where" "$command"
  else
    failures=$((failures + 1))
    printf 'FAIL %6ss  %-22s edgesim%s\n      exit %s, expected %s; standard error:\n' \
      "$seconds" "$where" "$command" "$status" "$expected"
    sed 's/^/      | /' "$scratch/.err" | head -20
  fi
done <"$examples"

after=$(cd "$root" && git status --porcelain --untracked-files=all | sort)
if [ "$before" != "$after" ]; then
  echo "FAIL: the examples changed the repository:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  failures=$((failures + 1))
fi
echo "check-examples: $count examples run, $failures failed"
[ "$failures" -eq 0 ]
