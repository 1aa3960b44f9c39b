#!/bin/sh
# tests/layers/test_layers.sh - the include rule (.ci/check-layers) holds
# on the tree, and the check catches each kind of violation when one is
# planted in a copy of the tree.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
check="$src/.ci/check-layers"
fails=0
ok()   { printf 'ok   %s\n' "$1"; }
bad()  { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

out=$(sh "$check" "$src" 2>&1)
if [ $? -eq 0 ] && [ -z "$out" ]; then ok "tree follows the rule"
else bad "tree follows the rule: $out"; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ws-layers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
copy() {
    rm -rf "$tmp/t"; mkdir -p "$tmp/t"
    (cd "$src" && tar cf - engine models cli bench docs/gen) | (cd "$tmp/t" && tar xf -)
}

# plant FILE LINE EXPECTED-TEXT: add LINE to FILE in a fresh copy; the
# check must fail naming FILE and the expected text
plant() {
    copy
    printf '%s\n' "$2" >> "$tmp/t/$1"
    o=$(sh "$check" "$tmp/t" 2>&1); rc=$?
    if [ $rc -eq 1 ] && printf '%s' "$o" | grep -q "^$1:[0-9]*: .*$3"; then
        ok "caught: $1 <- $2"
    else
        bad "not caught: $1 <- $2 (rc=$rc: $o)"
    fi
}

plant engine/out/json.c       '#include "sim/sim_int.h"'           'out may not include "sim/sim_int.h"'
plant engine/out/csv.c        '#include "scenario/scenario_int.h"' 'out may not include'
plant engine/base/util.c      '#include "scenario/ydoc.h"'         'base may not include'
plant models/power/stats.c    '#include "sim/sim_int.h"'           'models may not include'
plant engine/scenario/load.c  '#include "sim/sim_int.h"'           'scenario may not include'
plant cli/run.c               '#include "base/util.h"'             'cli may not include'
plant bench/bench_seeds.c     '#include "sim/sim_int.h"'           'bench may not include'
plant engine/sim/loop.c       '#include "bench/baseline.h"'        'sim may not include'
plant engine/include/wattsim/sim.h '#include "base/defs.h"'        'api may not include'
plant engine/scenario/load.c  '#include "ydoc.h"'                  'unqualified #include "ydoc.h"'
plant engine/sim/loop.c       '#include "sim/nowhere.h"'           'no such header'
plant engine/sim/loop.c       '#include <base/util.h>'             'angle brackets'

# allowed includes pass
copy
printf '%s\n' '#include "base/util.h"' >> "$tmp/t/engine/out/json.c"
printf '%s\n' '#include <wattsim/wattsim.h>' >> "$tmp/t/cli/run.c"
printf '%s\n' '#include "models/power/power.h"' >> "$tmp/t/engine/sim/loop.c"
o=$(sh "$check" "$tmp/t" 2>&1)
if [ $? -eq 0 ]; then ok "allowed includes pass"; else bad "allowed includes pass: $o"; fi

echo "$fails failed"
[ $fails -eq 0 ]
