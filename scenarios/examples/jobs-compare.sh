#!/bin/sh
# scenarios/examples/jobs-compare.sh [WATTSIM] - one year of the same job
# stream (jobs-grid.yaml: 96 HGX H100 nodes, 17 486 drawn training jobs)
# scheduled four ways in two grids: FIFO; FIFO with carbon-aware starts
# on a day-ahead persistence forecast; FIFO under an 800 kW cap on the
# site's facility power; and both. CISO (California, local time UTC-8)
# and MISO (the Midwest, UTC-6), each with its own hourly 2022 series
# from data/carbon/ and the same time-of-use tariff and demand charge on
# local time. Prints a table of carbon, cost, facility peak and the
# jobs' waits and deadline misses, with each variant's difference
# against FIFO in the same grid. Run from the repository root; WATTSIM
# defaults to build/cli/wattsim.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
W=${1:-build/cli/wattsim}
S=scenarios/examples/jobs-grid.yaml
[ -x "$W" ] || { echo "jobs-compare.sh: no wattsim at '$W' (make build)" >&2; exit 2; }
[ -f "$S" ] || { echo "jobs-compare.sh: run from the repository root" >&2; exit 2; }
T=$(mktemp -d /tmp/wattsim-jobs-XXXXXX) || exit 4
trap 'rm -rf "$T"' EXIT

# run GRID VARIANT --set ...: one variant's figures as one line
# "GRID VARIANT carbon_t cost_kUSD energy_kUSD demand_kUSD peak_kW
#  wait_mean_h wait_p95_h misses late_mean_h completed gpu_h" appended to
# $T/rows
run() {
    grid=$1 variant=$2
    shift 2
    rm -rf "$T/out"
    if ! "$W" run --quiet --csv "$T/out" --series site "$@" "$S"; then
        echo "jobs-compare.sh: $grid $variant failed" >&2
        exit 1
    fi
    awk -F, -v g="$grid" -v v="$variant" '
        $1 == "site" || $1 == "jobs" { m[$1 "." $2] = $3 }
        END { printf "%s %s %.6f %.6f %.6f %.6f %.6f %.6f %.6f %d %.6f %d %.1f\n",
              g, v, m["site.carbon_kg"] / 1e3, m["site.cost"] / 1e3,
              m["site.cost_energy"] / 1e3, m["site.cost_demand"] / 1e3,
              m["site.facility_peak_kw"], m["jobs.wait_mean_h"],
              m["jobs.wait_p95_h"], m["jobs.deadline_misses"],
              m["jobs.late_mean_h"],
              m["jobs.jobs_completed"], m["jobs.gpu_hours"] }' \
        "$T/out/metrics.csv" >> "$T/rows"
}

CA='scheduler={policy: fifo, carbon_aware: yes, forecast: persistence}'
CAP='scheduler={policy: fifo, site_cap: 800 kW}'
BOTH='scheduler={policy: fifo, carbon_aware: yes, forecast: persistence, site_cap: 800 kW}'
MISO="--set carbon.series=data/carbon/eia-2022-MISO.csv --set time.start=2022-01-01T00:00:00-06:00 --set time.utc_offset=-6h"
: > "$T/rows"
for grid in CISO MISO; do
    if [ $grid = CISO ]; then G=""; else G=$MISO; fi
    # $G is split into its --set words on purpose
    # shellcheck disable=SC2086
    run $grid fifo $G
    # shellcheck disable=SC2086
    run $grid carbon-aware $G --set "$CA"
    # shellcheck disable=SC2086
    run $grid capped $G --set "$CAP"
    # shellcheck disable=SC2086
    run $grid both $G --set "$BOTH"
done

awk '
    { g[NR] = $1; v[NR] = $2; c[NR] = $3; k[NR] = $4; ke[NR] = $5
      kd[NR] = $6; p[NR] = $7; wm[NR] = $8; wp[NR] = $9; mi[NR] = $10
      la[NR] = $11; done[NR] = $12; gh[NR] = $13
      if ($2 == "fifo") { c0[$1] = $3; k0[$1] = $4; p0[$1] = $7 } }
    END {
        printf "%-5s %-13s %8s %7s %9s %7s %8s %8s %8s %7s %6s %6s %6s %6s\n",
               "grid", "schedule", "CO2 t", "dCO2", "cost k$", "dcost",
               "energy", "demand", "peak kW", "dpeak", "wait h", "P95 h",
               "missed", "late h"
        for (i = 1; i <= NR; i++) {
            if (v[i] == "fifo")
                dc = dk = dp = "-"
            else {
                dc = sprintf("%+.1f%%", 100 * (c[i] / c0[g[i]] - 1))
                dk = sprintf("%+.1f%%", 100 * (k[i] / k0[g[i]] - 1))
                dp = sprintf("%+.1f%%", 100 * (p[i] / p0[g[i]] - 1))
            }
            printf "%-5s %-13s %8.1f %7s %9.1f %7s %8.1f %8.1f %8.1f %7s %6.2f %6.2f %6d %6.2f\n",
                   g[i], v[i], c[i], dc, k[i], dk, ke[i], kd[i], p[i], dp,
                   wm[i], wp[i], mi[i], la[i]
        }
        for (i = 1; i <= NR; i++)
            printf "%s %s: %d jobs completed, %.0f GPU-hours\n", g[i], v[i],
                   done[i], gh[i]
    }' "$T/rows"
