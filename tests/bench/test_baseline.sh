#!/bin/sh
# tests/bench/test_baseline.sh BENCH_CAMPUS - the engine against a second
# method: bench_campus --check runs each scenario through the engine and
# through the plain reference of bench/baseline.c (every node at every
# step, every scope accounted on its own, no shared series), and compares
# every metric: sums and extremes to 1e-9, quantiles within both
# histograms' resolutions; with jobs, the job table job by job too. Any
# metric that differs, or that only one side has, fails. Run from the repository root.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
B=$1
fails=0
check() {
    name=$1; shift
    out=$("$B" --check "$@" 2>&1)
    rc=$?
    line=$(printf '%s\n' "$out" | grep '^agreement')
    if [ $rc -eq 0 ] && printf '%s' "$line" | grep -q ', 0 mismatches'; then
        printf 'ok   %s: %s\n' "$name" "${line#agreement }"
    else
        printf 'FAIL %s (exit %s)\n' "$name" "$rc"
        printf '%s\n' "$out" | sed -n '/^comparison/,$p' | head -30
        fails=$((fails + 1))
    fi
}
for f in scenarios/seed/*.yaml tests/golden/inputs/*.yaml \
         tests/data/good/with-include.yaml tests/data/good/chain.yaml \
         tests/bench/inputs/*.yaml \
         scenarios/examples/resnet152-scaling.yaml \
         scenarios/examples/trace-*.yaml \
         scenarios/examples/chiller-leesburg.yaml \
         scenarios/examples/cooling-hall.yaml; do
    check "$f" "$f"
done
# the campus: lock-stepped placements, and one placement per rack
check "campus 2 d" --set time.duration=2d scenarios/examples/campus-10k.yaml
check "campus 2 d, independent" --independent --set time.duration=2d \
    scenarios/examples/campus-10k.yaml
# every node its own stream: the staggered cases, the worst one of #19
check "stagger-1k 2 d" --set time.duration=2d bench/stagger-1k.yaml
check "stagger-10k 1 d" --set time.duration=1d bench/stagger-10k.yaml
check "noise-10k 1 d" --set time.duration=1d bench/noise-10k.yaml
# the job layer (#19): the reference schedules with the scheduler model
# on a view it builds itself, plays every job on its nodes and accounts
# each job; jobs.yaml has power-aware admission, a site cap, a
# demand-response event and carbon-aware starts; jobs-grid again with
# capping, a noisy forecast and power-aware admission; the target case
check "tests/data/good/jobs.yaml" tests/data/good/jobs.yaml
check "jobs-grid 30 d" --set time.duration=30d \
    scenarios/examples/jobs-grid.yaml
check "jobs-grid 30 d, capped, carbon-aware, power-aware" \
    --set time.duration=30d --set scheduler.site_cap=800kW \
    --set scheduler.carbon_aware=yes --set scheduler.forecast=noisy \
    --set scheduler.power_aware=yes scenarios/examples/jobs-grid.yaml
check "jobs-10k 2 d" --set time.duration=2d bench/jobs-10k.yaml
echo "$fails failed"
[ $fails -eq 0 ]
