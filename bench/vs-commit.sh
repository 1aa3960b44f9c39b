#!/bin/sh
# bench/vs-commit.sh - a scenario's wall time under an earlier commit's
# wattsim and under this checkout's, alternating, in one invocation: the
# honest "N x faster than it was" (#19's targets are ratios to the code
# of the day the issue was filed, cea2669).
#
#   sh bench/vs-commit.sh COMMIT SCENARIO [ROUNDS]
#   sh bench/vs-commit.sh cea2669 bench/noise-10k.yaml 2
#
# COMMIT is built (RelWithDebInfo, the CLI only) in a git worktree under
# $TMPDIR (or /tmp), removed at the end; this checkout's build/ must be
# built (make build). Each round runs `wattsim run --quiet SCENARIO` with
# the old binary, then the new one twice (the new one's default
# --threads: one per processor); the medians and their ratio are printed.
# Both must agree on the site's energy over the first day before
# anything is timed. Both sides do the same work: the whole run, every
# metric computed, nothing written (--quiet).
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -eu
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 COMMIT SCENARIO [ROUNDS]" >&2; exit 2; }
commit=$1 scen=$2 rounds=${3:-2}
new=$(pwd)/build/cli/wattsim
[ -x "$new" ] || { echo "$0: build this checkout first (make build)" >&2; exit 2; }
wt=$(mktemp -d "${TMPDIR:-/tmp}/wattsim-vs-XXXXXX")
trap 'git worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"' EXIT
git worktree add -q --force "$wt" "$commit"
cmake -S "$wt" -B "$wt/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$wt/build" -j "$(nproc)" --target wattsim_cli >/dev/null
old=$wt/build/cli/wattsim

energy() { # the site's IT energy over one day, as the JSON has it
    "$1" run --json --set 'time.duration=1 d' "$scen" |
        grep -A3 '"scope": "site"' | grep -A2 '"name": "energy_it_kwh"' |
        sed -n 's/.*"value": \([^,]*\),*/\1/p' | head -1
}
eo=$(energy "$old") en=$(energy "$new")
[ -n "$eo" ] && [ "$eo" = "$en" ] ||
    { echo "$0: the two disagree on the site's energy over a day: $eo, $en" >&2; exit 1; }

t() { s=$(date +%s.%N); "$1" run --quiet "$scen" >/dev/null; e=$(date +%s.%N); awk "BEGIN {printf \"%.3f\", $e - $s}"; }
to="" tn=""
i=0
while [ $i -lt "$rounds" ]; do
    a=$(t "$old"); to="$to $a"; echo "old $commit: $a s"
    b=$(t "$new"); tn="$tn $b"; echo "new: $b s"
    b=$(t "$new"); tn="$tn $b"; echo "new: $b s"
    i=$((i + 1))
done
med() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mo=$(med "$to") mn=$(med "$tn")
echo "median: old $mo s, new $mn s: $(awk "BEGIN {printf \"%.2f\", $mo / $mn}") x (the same energy, $eo kWh over the first day)"
