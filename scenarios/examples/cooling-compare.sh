#!/bin/sh
# scenarios/examples/cooling-compare.sh [WATTSIM] - air, rear-door and
# direct-to-chip cooling of one hall (cooling-hall.yaml) for a year in
# Leesburg, VA and in Phoenix, AZ: six runs of the same scenario with
# facility keys set on the command line, and a table of facility energy,
# PUE, facility peak and economiser hours, with each technology's
# difference against air in the same city. Run from the repository root;
# WATTSIM defaults to build/cli/wattsim.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
W=${1:-build/cli/wattsim}
S=scenarios/examples/cooling-hall.yaml
[ -x "$W" ] || { echo "cooling-compare.sh: no wattsim at '$W' (make build)" >&2; exit 2; }
[ -f "$S" ] || { echo "cooling-compare.sh: run from the repository root" >&2; exit 2; }
T=$(mktemp -d /tmp/wattsim-cooling-XXXXXX) || exit 4
trap 'rm -rf "$T"' EXIT

# run CITY TECH --set ...: one variant's site metrics as one line
# "CITY TECH it_MWh fac_MWh pue peak_kW econ_h" appended to $T/rows
run() {
    city=$1 tech=$2
    shift 2
    if ! "$W" run --quiet --csv "$T/out" --series site "$@" "$S"; then
        echo "cooling-compare.sh: $city $tech failed" >&2
        exit 1
    fi
    awk -F, -v c="$city" -v t="$tech" '
        $1 == "site" { m[$2] = $3 }
        END { printf "%s %s %.6f %.6f %.6f %.6f %.6f\n", c, t,
              m["energy_it_kwh"] / 1e3, m["energy_facility_kwh"] / 1e3,
              m["pue"], m["facility_peak_kw"], m["economiser_h"] }' \
        "$T/out/metrics.csv" >> "$T/rows"
}

PHX=facility.weather=data/weather/USA_AZ_Phoenix-Sky.Harbor.epw
DOOR=facility.rear_door_fraction=1
D2C=facility.liquid_fraction=0.75
: > "$T/rows"
run Leesburg air
run Leesburg rear-door --set "$DOOR"
run Leesburg direct-to-chip --set "$D2C"
run Phoenix air --set "$PHX"
run Phoenix rear-door --set "$PHX" --set "$DOOR"
run Phoenix direct-to-chip --set "$PHX" --set "$D2C"

awk '
    { city[NR] = $1; tech[NR] = $2; it[NR] = $3; e[NR] = $4; pue[NR] = $5
      pk[NR] = $6; ec[NR] = $7
      if ($2 == "air") { e0[$1] = $4; p0[$1] = $6 } }
    END {
        printf "%-9s %-15s %10s %6s %9s %7s %10s %7s %9s %7s\n", "city",
               "cooling", "fac. MWh", "PUE", "peak kW", "econ h",
               "dE MWh", "dE %", "dPeak kW", "dPeak %"
        for (i = 1; i <= NR; i++) {
            if (tech[i] == "air")
                printf "%-9s %-15s %10.1f %6.3f %9.1f %7.0f %10s %7s %9s %7s\n",
                       city[i], tech[i], e[i], pue[i], pk[i], ec[i], "-", "-",
                       "-", "-"
            else
                printf "%-9s %-15s %10.1f %6.3f %9.1f %7.0f %+10.1f %+6.1f%% %+9.1f %+6.1f%%\n",
                       city[i], tech[i], e[i], pue[i], pk[i], ec[i],
                       e[i] - e0[city[i]], 100 * (e[i] / e0[city[i]] - 1),
                       pk[i] - p0[city[i]], 100 * (pk[i] / p0[city[i]] - 1)
        }
        same = 1
        for (i = 2; i <= NR; i++)
            if (it[i] != it[1])
                same = 0
        if (same)
            printf "IT energy %.1f MWh in every run (cooling does not change IT power here)\n", it[1]
        else
            for (i = 1; i <= NR; i++)
                printf "IT energy %s %s: %.1f MWh\n", city[i], tech[i], it[i]
    }' "$T/rows"
