#!/bin/sh
# tests/cli/test_cli.sh - the wattsim command's exit codes, help, output
# switches and error lines. Usage: test_cli.sh WATTSIM (run from the
# repository root). Exit codes: 0 ok, 1 expect failed, 2 usage,
# 3 invalid scenario, 4 I/O or database.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
W=$1
T=$(mktemp -d /tmp/wattsim-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
n=0

# check NAME EXPECTED_EXIT PATTERN(stdout+stderr, grep -E, may be empty) CMD...
check() {
    name=$1 want=$2 pat=$3
    shift 3
    n=$((n + 1))
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' "$T/err" | head -5
        fails=$((fails + 1)); return
    fi
    if [ -n "$pat" ] && ! cat "$T/out" "$T/err" | grep -Eq -- "$pat"; then
        echo "FAIL $name: output lacks /$pat/"; cat "$T/out" "$T/err" | head -10 | sed 's/^/  | /'
        fails=$((fails + 1)); return
    fi
    echo "ok   $name"
}

SEED=scenarios/seed/rack-70kw-6nodes.yaml
check version 0 '^wattsim [0-9]+\.[0-9]+\.[0-9]+$' "$W" --version
check help 0 'usage: wattsim <command>' "$W" --help
check run-help 0 'usage: wattsim run FILE' "$W" run --help
check check-help 0 'usage: wattsim check FILE' "$W" help check
check no-args 2 'usage' "$W"
check unknown-cmd 2 "unknown command 'frobnicate'" "$W" frobnicate
check unknown-opt 2 "unknown option '--jsn' \(did you mean --json\?\)" "$W" run --jsn $SEED
check no-file 2 'no scenario FILE' "$W" run
check set-syntax 2 '--set needs KEY=VALUE' "$W" run --set foo $SEED
check set-missing-value 2 "option '--set' needs a value" "$W" run $SEED --set
check every-alone 2 '--every applies only with --csv or --db' "$W" run --every 1h $SEED
check every-bad 2 'every 15: .*needs a unit' "$W" run --every 15 --csv "$T/c" $SEED
check json-takes-none 2 "takes no value" "$W" run --json=yes $SEED

check run-ok 0 'expectations: 3 of 3 hold' "$W" run $SEED
# several scenarios: a line at the end says how they went (not in JSON)
check several-total 3 '^2 scenarios: 1 held their expectations and limits, 1 could not run \(tests/data/bad/001-yaml-bad-indent\.yaml\)$' \
    "$W" run $SEED tests/data/bad/001-yaml-bad-indent.yaml
check several-total-json 0 '' "$W" run --json $SEED scenarios/seed/gpu-burn.yaml
if grep -q 'scenarios:' "$T/out"; then
    echo "FAIL several-total-json: the closing line is in the JSON"; fails=$((fails + 1))
fi
check run-header 0 '^  2024-06-01T00:00:00Z \+ 26\.00 h, step 60 s, seed 512, 1 node$' "$W" run scenarios/seed/resnet152-bs512.yaml
check run-quiet 0 '' "$W" run --quiet $SEED
[ -s "$T/out" ] && { echo "FAIL run-quiet printed to stdout"; fails=$((fails + 1)); }
check run-json 0 '"name": "failover_peak_kw"' "$W" run --json $SEED
check run-summary-binding 0 'failover: binding pdu:r01-[AB] after losing feed:[AB]' "$W" run $SEED
check expect-fails 1 'FAIL +rack:r01.failover_peak_kw <= 51 kW' \
    "$W" run $SEED --set site.rows.row1.racks.r01.nodes[0].count=7
check expect-fails-quiet 1 'expectation failed: rack:r01.failover_peak_kw' \
    "$W" run --quiet $SEED --set site.rows.row1.racks.r01.nodes[0].count=7
check check-ok 0 'rack r01 +2N  capacity 70 kW' "$W" check $SEED
# a campus's feeds in MW, never as 1.1e+06 kW
check check-campus-mw 0 '^site  100000 nodes; feeds A \(1100 MW\) B \(1100 MW\); redundancy 2N$' "$W" check bench/campus-100k.yaml
check check-json 0 '"capacity_kw": 70' "$W" check --json $SEED
# check prints the facility values used where the model defaults a key
# itself: approach and cop_rated by kind (water 94.3 F - 78 F = 9.056 K,
# 3516.85 / 780 = 4.509; air 15 K, 9.562 / 3.41214 = 2.802), and the
# site's design load (6 x 10.2 kW), not the stored zeros
CHL=scenarios/examples/chiller-leesburg.yaml
check check-chiller-water 0 'approach 9\.056, cop_rated 4\.509, .*design_load 61\.2 kW$' \
    "$W" check $CHL
check check-chiller-air 0 'kind air, .*approach 15, cop_rated 2\.802, ' \
    "$W" check --set facility.kind=air $CHL
check check-chiller-given 0 'approach 12, cop_rated 3\.5, .*design_load 100 kW$' \
    "$W" check --set facility.kind=air --set facility.approach=12 \
    --set facility.cop_rated=3.5 --set facility.design_load=100kW $CHL
check check-pue-curve 0 'model pue-curve: .*design_load 62 kW$' \
    "$W" check tests/golden/inputs/utilization-pue-curve.yaml
# the cooling comparison of the README runs its six variants and prints
# the last of them against air
check cooling-compare 0 '^Phoenix +direct-to-chip +[0-9.]+ +1\.[0-9]{3} ' \
    sh scenarios/examples/cooling-compare.sh "$W"
check cooling-compare-no-binary 2 'no wattsim at' \
    sh scenarios/examples/cooling-compare.sh "$T/none"
# the job comparison of the README: the same job stream scheduled four
# ways in two grids. What must hold whatever the numbers: FIFO sees the
# same jobs and tariff in both grids (the same cost and peak), the
# carbon-aware schedules emit less than FIFO in the same grid, the
# capped ones keep the facility peak within 800 kW (one 5-min step of
# overshoot allowed: none seen) and miss no deadline (nothing shifts)
n=$((n + 1))
if sh scenarios/examples/jobs-compare.sh "$W" > "$T/jc" 2>&1 &&
    awk '($1 == "CISO" || $1 == "MISO") && NF == 14 { c[$1 "." $2] = $3; k[$1 "." $2] = $5
             p[$1 "." $2] = $9; m[$1 "." $2] = $13; rows++ }
         END { ok = rows == 8 && k["CISO.fifo"] == k["MISO.fifo"] &&
                    p["CISO.fifo"] == p["MISO.fifo"]
               split("CISO MISO", g, " ")
               for (i = 1; i <= 2; i++) {
                   x = g[i]
                   ok = ok && c[x ".carbon-aware"] < c[x ".fifo"] &&
                        c[x ".both"] < c[x ".capped"] &&
                        p[x ".capped"] <= 800 && p[x ".both"] <= 800 &&
                        m[x ".capped"] == 0 && p[x ".fifo"] > 800
               }
               exit ok ? 0 : 1 }' "$T/jc"; then
    echo "ok   jobs-compare"
else
    echo "FAIL jobs-compare:"; sed 's/^/  | /' "$T/jc" | head -12; fails=$((fails + 1))
fi
check jobs-compare-no-binary 2 'no wattsim at' \
    sh scenarios/examples/jobs-compare.sh "$T/none"
# the job table and the hourly profile in --csv: a row per job (and the
# header), a row per hour of a 2-day horizon
JG=scenarios/examples/jobs-grid.yaml
check jobs-csv 0 '' "$W" run --quiet --csv "$T/jg" --set time.duration=2d $JG
n=$((n + 1))
if [ "$(wc -l < "$T/jg/hourly.csv")" -eq 49 ] &&
    head -1 "$T/jg/jobs.csv" | grep -q '^name,workload,class,nodes,submit_utc,' &&
    [ "$(($(wc -l < "$T/jg/jobs.csv") - 1))" -eq "$(awk -F, '$1 == "jobs" && $2 == "jobs_submitted" { print $3 }' "$T/jg/metrics.csv")" ]; then
    echo "ok   jobs-csv-rows"
else
    echo "FAIL jobs-csv-rows: hourly.csv $(wc -l < "$T/jg/hourly.csv") lines, jobs.csv $(wc -l < "$T/jg/jobs.csv")"; fails=$((fails + 1))
fi
# an SWF header's "; Key: value" lines are kept, in check and its JSON
check jobs-trace-header 0 'header: Version: 2\.2; Computer: wattsim test cluster \(hand-made\);.*\(3 more in --json\)' \
    "$W" check tests/data/good/jobs.yaml
check jobs-trace-header-json 0 '"key": "MaxProcs",' "$W" check --json tests/data/good/jobs.yaml
check jobs-summary 0 '^jobs: [0-9]+ submitted, .* deadline misses' \
    "$W" run --set time.duration=2d --set 'scheduler={carbon_aware: yes}' $JG

# a campus's summary reads in its own units: site, feeds and rows in MW
# and MWh (the site's failover peak, a survivor's, left to the failover
# line, which names it: here feed A, in MW), racks and PDUs in kW below,
# facility power in MW
CAMPUS=scenarios/examples/campus-10k.yaml
"$W" run --set time.duration=1d $CAMPUS > "$T/campus.txt" 2>&1
n=$((n + 1))
if grep -Eq '^ +MWh +MW +MW .* peak MW +mgn %$' "$T/campus.txt" &&
    grep -Eq '^site +10000 +[0-9]+\.[0-9] +[0-9]+\.[0-9]{3} .* \(below\) +[0-9.]+$' "$T/campus.txt" &&
    grep -Eq '^rack:hall[0-9]+-r[0-9]+ +8 +[0-9]+\.[0-9] +[0-9]+\.[0-9]{2} ' "$T/campus.txt" &&
    [ "$(grep -Ec '^ +kWh +kW ' "$T/campus.txt")" -eq 2 ] &&
    grep -Eq '^facility: [0-9]+\.[0-9] MWh, peak [0-9]+\.[0-9]{3} MW ' "$T/campus.txt" &&
    grep -Eq '^failover: binding feed:A after losing feed:B, [0-9]+\.[0-9]{3} MW, margin' "$T/campus.txt"; then
    echo "ok   campus-units"
else
    echo "FAIL campus-units:"; head -12 "$T/campus.txt" | sed 's/^/  | /'; fails=$((fails + 1))
fi
# the rest of a campus's summary too: the placements' table in the units
# of its own numbers (a day of the llm placement: 1 141 MWh, 47.5 MW),
# the grid line's ramps and swing in MW over the named window, money in
# millions past a million (30 d at 0.08 USD/kWh: about 4.9 M), a broken
# feed limit and an expectation's actual in MW; never an exponent
n=$((n + 1))
if grep -Eq '^ +MWh +MWh +MW +$' "$T/campus.txt" &&
    grep -Eq '^placement:llm +6000 +[0-9]{4}\.[0-9] +[0-9]{4}\.[0-9] +4[0-9]\.[0-9]{3} ' "$T/campus.txt" &&
    grep -Eq '^grid: load factor 0\.[0-9]{3}, ramps \+[0-9.]+ / -[0-9.]+ MW/min at the step, \+[0-9.]+ / -[0-9.]+ MW/min over 15 min, swing [0-9]+\.[0-9]{3} MW within 15 min$' "$T/campus.txt" &&
    ! grep -Eq '[0-9]e[+-]?[0-9]' "$T/campus.txt"; then
    echo "ok   campus-units-below"
else
    echo "FAIL campus-units-below:"; sed -n '/^placement/,/^grid/p' "$T/campus.txt" | sed 's/^/  | /'; fails=$((fails + 1))
fi
check campus-cost-millions 0 '^cost: [0-9]\.[0-9]{3} M USD = energy 4\.[0-9]{3} M \+ demand 1\.[0-9]{3} M \(peak [0-9]+\.[0-9]{3} MW\)$' \
    "$W" run --set time.duration=30d --set 'tariff={currency: USD, energy: 0.08 USD/kWh, demand: 15 USD/kW}' $CAMPUS
check campus-limit-mw 1 'FAIL feed:A is above its 30 MW capacity for [0-9]+ min \(peak 3[0-9]\.[0-9]{3} MW\)' \
    "$W" run --set time.duration=1d --set 'site.feeds.A.capacity=30 MW' $CAMPUS
check campus-actual-mw 1 'FAIL +site\.peak_kw < 60 MW +actual 7[0-9.]+ MW$' \
    "$W" run --set time.duration=1d --set 'expect=[site.peak_kw < 60 MW]' $CAMPUS
check campus-replicas-mw 0 '^replicas: failover peak P50 67\.340, P99\.9 67\.340 MW;' \
    "$W" run --replicas 2 --set time.duration=1d $CAMPUS
# past 12 of a kind, the 5 closest to their limits and a count of the
# rest: 100 rows of the 100 000-node campus
"$W" run --set time.duration=1d bench/campus-100k.yaml > "$T/c100k.txt" 2>&1
n=$((n + 1))
if [ "$(grep -c '^row:' "$T/c100k.txt")" -eq 5 ] &&
    grep -Eq '^\.\.\. +\(95 more rows, less loaded; all are in --json, --csv and --db\)$' "$T/c100k.txt"; then
    echo "ok   campus-rows-worst"
else
    echo "FAIL campus-rows-worst:"; grep -E '^row:|^\.\.\.' "$T/c100k.txt" | sed 's/^/  | /'; fails=$((fails + 1))
fi
# and a rack's in kW and kWh, as before (its failover line too)
check small-units 0 '^ +kWh +kW +kW .* peak kW +mgn %$' "$W" run $SEED
check small-failover-kw 0 '^failover: binding pdu:r01-[AB] after losing feed:[AB], 45\.90 kW, margin' "$W" run $SEED

# threads: the flag's range, and the same bytes on 1 and 3 threads
check threads-zero 2 '--threads 0: expected a whole number from 1 to 256' "$W" run --threads 0 $SEED
check threads-word 2 '--threads two: expected a whole number from 1 to 256' "$W" run --threads two $SEED
check threads-big 2 '--threads 257: expected a whole number from 1 to 256' "$W" run --threads 257 $SEED
"$W" run --json --threads 1 --set time.duration=2d bench/stagger-1k.yaml > "$T/th1.json" 2>/dev/null
"$W" run --json --threads 3 --set time.duration=2d bench/stagger-1k.yaml > "$T/th3.json" 2>/dev/null
n=$((n + 1))
if [ -s "$T/th1.json" ] && cmp -s "$T/th1.json" "$T/th3.json"; then
    echo "ok   threads-same-bytes"
else
    echo "FAIL threads-same-bytes: --threads 1 and 3 differ"; fails=$((fails + 1))
fi

# replicas: flags, merged quantiles, determinism, expectations on them
check replicas-bad 2 '--replicas 0: expected a whole number from 1 to 10000' "$W" run --replicas 0 $SEED
check replicas-limit 2 '--replicas 10001: expected a whole number from 1 to 10000' "$W" run --replicas 10001 $SEED
check replicas-word 2 '--replicas many: expected a whole number' "$W" run --replicas many $SEED
check replicas-every 2 '--every with --replicas' "$W" run --replicas 3 --every 1h --csv "$T/r" $SEED
check replicas-summary 0 'replicas: site peak P50 [0-9.]+, P99 [0-9.]+, P99.9 [0-9.]+ kW' "$W" run --replicas 4 scenarios/seed/llama2-13b.yaml
check replicas-json 0 '"name": "failover_peak_kw_p999"' "$W" run --replicas 4 --json scenarios/seed/llama2-13b.yaml
"$W" run --replicas 5 --json scenarios/seed/llama2-13b.yaml > "$T/r1.json" 2>/dev/null
"$W" run --replicas 5 --json scenarios/seed/llama2-13b.yaml > "$T/r2.json" 2>/dev/null
"$W" run --replicas 5 --json scenarios/seed/llama2-13b.yaml --set seed=14 > "$T/r3.json" 2>/dev/null
n=$((n + 1))
if cmp -s "$T/r1.json" "$T/r2.json" && ! cmp -s "$T/r1.json" "$T/r3.json"; then
    echo "ok   replicas-deterministic"
else
    echo "FAIL replicas-deterministic: same seed must give the same bytes, another seed other ones"; fails=$((fails + 1))
fi
printf 'include: %s/data/catalog.yaml\ntime: {duration: 8 h, step: 1 min}\nsite: {feeds: [A, B], racks: [{name: r, supply: {power: 70 kW, redundancy: 2N}, nodes: [{name: j, type: hgx-h100, workload: llama2-13b}]}]}\nexpect: [site.peak_kw_p999 < 1 kW]\n' "$(pwd)" > "$T/rq.yaml"
check replicas-expect-fails 1 'FAIL +site.peak_kw_p999 < 1 kW' "$W" run --replicas 3 "$T/rq.yaml"
check replicas-expect-without 1 'metric not produced' "$W" run "$T/rq.yaml"
# a stream that is not a file is read up to a limit, never for ever
check fit-device 3 'not a regular file, and more than 256 MiB read from it' "$W" fit /dev/zero
# limits are checks: over capacity fails the run unless told to warn
check limits-fail 1 'FAIL rack:r01 is above its 70 kW capacity for [0-9]+ min' \
    "$W" run $SEED --set site.rows.row1.racks.r01.nodes[0].count=9 --set 'expect=[]'
check limits-warn 0 'limits: 2 broken \(limits: warn' \
    "$W" run $SEED --set site.rows.row1.racks.r01.nodes[0].count=10 --set 'expect=[]' --limits warn
check limits-key-warn 0 'warn +rack:r01: pdu:r01-[AB] after losing feed:[AB] is above its 70 kW' \
    "$W" run $SEED --set site.rows.row1.racks.r01.nodes[0].count=10 --set 'expect=[]' --set limits=warn
check limits-flag-overrides 1 '' \
    "$W" run $SEED --set site.rows.row1.racks.r01.nodes[0].count=9 --set 'expect=[]' --set limits=warn --limits check
check limits-quiet 1 'limit broken: rack:r01 is above its 70 kW capacity' \
    "$W" run --quiet $SEED --set site.rows.row1.racks.r01.nodes[0].count=9 --set 'expect=[]'
check limits-json 1 '"limits_fail": true' \
    "$W" run --json $SEED --set site.rows.row1.racks.r01.nodes[0].count=9 --set 'expect=[]'
check limits-bad-flag 2 '--limits maybe: expected check or warn' "$W" run --limits maybe $SEED
check limits-bad-key 3 "limits: 'maybe' is not one of: check, warn" "$W" run $SEED --set limits=maybe

# a trace named by --set is relative to the working directory, not to
# the text of the flag or the file the workload was written in
check trace-set-path 0 'placement:n1 +1 +121.7' "$W" run scenarios/examples/trace-pdu-export.yaml \
    --set 'workloads.resnet-bs512-pdu.file=data/traces/resnet152-bs512.pdu.csv'
# a run the horizon cuts short is never silent
check cut-short-warns 0 'warning: placement:llama2-13b: the horizon ends 92 % into its 8.70 h run' \
    "$W" run scenarios/seed/llama2-13b.yaml --set workloads.llama2-13b.runtime=8.7h --set 'expect=[]'

printf 'time: {duration: 1 h}\nsite:\n  racks: []\n  colour: red\n' > "$T/bad.yaml"
check invalid 3 "^wattsim: $T/bad.yaml:4:3: site.colour: unknown key 'colour'" "$W" run "$T/bad.yaml"
check set-invalid 3 '^wattsim: --set time.step=5: time.step: 5 needs a unit' "$W" run $SEED --set time.step=5
check set-no-item 3 "no list item named 'r99'" "$W" check $SEED --set site.rows.row1.racks.r99.supply.power=1kW
check missing-file 4 'no/such/file.yaml: cannot open' "$W" run no/such/file.yaml
check directory 4 'is a directory' "$W" check scenarios
check several-worst 4 '' "$W" run --quiet $SEED no/such.yaml "$T/bad.yaml"

# outputs: CSV directory, SQLite database, and their failures
check csv 0 '' "$W" run --quiet --csv "$T/csv" --every 1h --series all $SEED
[ -f "$T/csv/metrics.csv" ] && [ -f "$T/csv/site.csv" ] && [ -f "$T/csv/series.csv" ] || { echo "FAIL csv files missing"; fails=$((fails + 1)); }
rows=$(wc -l < "$T/csv/site.csv")
[ "$rows" -eq 169 ] || { echo "FAIL csv site has $rows lines, want 1+168"; fails=$((fails + 1)); }
# one rack: its seven scopes are one load, written once (site.csv), and
# series.csv maps each to it; a scope's mean from its file x its factor
# is its mean_kw metric
n=$((n + 1))
rack=$(grep '^rack:r01,' "$T/csv/series.csv")
pdu=$(grep '^pdu:r01-A,' "$T/csv/series.csv")
got=$(awk -F, -v f="$(echo "$pdu" | cut -d, -f3)" 'NR > 1 { s += $3; k++ } END { printf "%.4f", f * s / k }' "$T/csv/site.csv")
want=$(awk -F, '$1 == "pdu:r01-A" && $2 == "mean_kw" { printf "%.4f", $3 }' "$T/csv/metrics.csv")
if [ "$(ls "$T/csv" | tr '\n' ' ')" = "hourly.csv metrics.csv series.csv site.csv " ] &&
    [ "$(wc -l < "$T/csv/series.csv")" -eq 8 ] && [ "$rack" = "rack:r01,site.csv,1" ] &&
    [ "$pdu" = "pdu:r01-A,site.csv,0.5" ] && [ "$got" = "$want" ]; then
    echo "ok   csv-series-once"
else
    echo "FAIL csv-series-once: $(ls "$T/csv" | tr '\n' ' '); '$rack' '$pdu'; pdu mean $got, metric $want"; fails=$((fails + 1))
fi
# --wide: wide.csv, a column per recorded scope; a PDU of the 2N rack is
# half the site, bucket by bucket
check csv-wide 0 '' "$W" run --quiet --csv "$T/csvw" --wide --every 1h --series all $SEED
n=$((n + 1))
hdr=$(head -1 "$T/csvw/wide.csv")
half=$(awk -F, 'NR > 1 && ($3 - 2 * $8 > 2e-6 || 2 * $8 - $3 > 2e-6) { bad++ } NR > 1 { k++ } END { print k + 0, bad + 0 }' "$T/csvw/wide.csv")
if [ "$hdr" = "time_utc,hours,site,feed:A,feed:B,row:row1,rack:r01,pdu:r01-A,pdu:r01-B" ] &&
    [ "$half" = "168 0" ] && [ -f "$T/csvw/series.csv" ]; then
    echo "ok   csv-wide-columns"
else
    echo "FAIL csv-wide-columns: '$hdr'; rows, mismatches: $half"; fails=$((fails + 1))
fi
check wide-without-csv 2 'wattsim run: --wide applies only with --csv' "$W" run --wide $SEED
# --series: by default the site, feeds and rows; selectors pick scopes by
# name; a selector that matches nothing, or an unknown word, is refused
check csv-default-series 0 '' "$W" run --quiet --csv "$T/csvd" --every 1h $SEED
n=$((n + 1))
if [ "$(cd "$T/csvd" && ls | tr '\n' ' ')" = "hourly.csv metrics.csv series.csv site.csv " ] &&
    [ "$(cut -d, -f1 "$T/csvd/series.csv" | tr '\n' ' ')" = "scope site feed:A feed:B row:row1 " ]; then
    echo "ok   csv-default-series-files"
else
    echo "FAIL csv-default-series-files: $(ls "$T/csvd" | tr '\n' ' '); $(cut -d, -f1 "$T/csvd/series.csv" | tr '\n' ' ')"; fails=$((fails + 1))
fi
check csv-selector 0 '' "$W" run --quiet --csv "$T/csvs" --every 1h --series 'site,pdu:*-A' $SEED
n=$((n + 1))
if [ "$(cd "$T/csvs" && ls | tr '\n' ' ')" = "hourly.csv metrics.csv series.csv site.csv " ] &&
    [ "$(cut -d, -f1 "$T/csvs/series.csv" | tr '\n' ' ')" = "scope site pdu:r01-A " ]; then
    echo "ok   csv-selector-files"
else
    echo "FAIL csv-selector-files: $(ls "$T/csvs" | tr '\n' ' ')"; fails=$((fails + 1))
fi
check csv-selector-none 3 "^wattsim: --series: series selector 'rack:nope\\*' matches no scope" \
    "$W" run --quiet --csv "$T/csvn" --series 'rack:nope*' $SEED
[ -e "$T/csvn" ] && { echo "FAIL csv-selector-none wrote $T/csvn"; fails=$((fails + 1)); }
check csv-series-word 2 "unknown kind of scope 'racks'" "$W" run --quiet --csv "$T/csvw" --series racks $SEED
check db 0 '' "$W" run --quiet --db "$T/r.db" $SEED
check db-again 1 '' "$W" run --quiet --db "$T/r.db" $SEED --set site.rows.row1.racks.r01.nodes[0].count=7
echo "not a database" > "$T/notes.txt"
check db-not-db 4 'notes.txt: .*not a wattsim results database|file is not a database' "$W" run --quiet --db "$T/notes.txt" $SEED
grep -q "not a database" "$T/notes.txt" || { echo "FAIL notes.txt was modified"; fails=$((fails + 1)); }
check csv-on-file 4 'exists and is not a directory' "$W" run --quiet --csv "$T/notes.txt" $SEED
if command -v sqlite3 >/dev/null 2>&1; then
    runs=$(sqlite3 "$T/r.db" 'select count(*) from runs')
    [ "$runs" = 2 ] || { echo "FAIL db has $runs runs, want 2"; fails=$((fails + 1)); }
fi

# full output devices: a clear error and exit 4, never a silent success
check stdout-full-json 4 'cannot write to standard output' sh -c "\"$W\" run --json $SEED > /dev/full"
check stdout-full-summary 4 'cannot write to standard output' sh -c "\"$W\" run $SEED > /dev/full"
# a full file system for --csv (needs a tmpfs mount: root, where allowed);
# the run's other sinks still get the result
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=16k tmpfs "$T/tiny" 2>/dev/null; then
    check csv-disk-full 4 'No space left on device' "$W" run --quiet --csv "$T/tiny/out" --every 1min --db "$T/full.db" $SEED
    ls "$T/tiny/out" 2>/dev/null | grep -q '\.tmp$' && { echo "FAIL a .tmp file was left behind"; fails=$((fails + 1)); }
    if command -v sqlite3 >/dev/null 2>&1; then
        [ "$(sqlite3 "$T/full.db" 'select count(*) from runs')" = 1 ] || { echo "FAIL the run was not kept in --db"; fails=$((fails + 1)); }
    fi
    umount "$T/tiny"
else
    echo "skip csv-disk-full (cannot mount a tmpfs here)"
fi

# read-only output (a read-only file system: root ignores permissions):
# exit 4, and an existing database is left byte for byte as it was
mkdir -p "$T/ro"
if mount -t tmpfs -o size=64m tmpfs "$T/ro" 2>/dev/null; then
    check db-before-readonly 0 '' "$W" run --quiet --db "$T/ro/r.db" scenarios/seed/gpu-burn.yaml
    before=$(cat "$T/ro/r.db"* | cksum)
    if mount -o remount,ro "$T/ro" 2>/dev/null; then
        check db-readonly 4 'r.db: cannot write to the database \(Read-only file system\)' "$W" run --quiet --db "$T/ro/r.db" $SEED
        check csv-readonly 4 'Read-only file system' "$W" run --quiet --csv "$T/ro/out" $SEED
        after=$(cat "$T/ro/r.db"* | cksum)
        [ "$before" = "$after" ] || { echo "FAIL the read-only database changed"; fails=$((fails + 1)); }
    else
        echo "skip read-only checks (cannot remount read-only here)"
    fi
    umount "$T/ro"
else
    echo "skip read-only checks (cannot mount a tmpfs here)"
fi

# wattsim fit: both shipped traces; the YAML, wrapped in a scenario,
# passes `wattsim check`
wrap() { # YAML NAME -> a scenario with the workload on one node
    printf 'time: {start: 2024-06-01T00:00:00Z, duration: 1 d, step: 1 min}\n'
    printf 'node_types:\n  n: {nameplate: 10.2 kW, idle: 2 kW}\nworkloads:\n'
    sed 's/^/  /' "$1"
    printf 'site:\n  racks:\n    - {name: r1, supply: {power: 50 kW}, nodes: [{name: a, type: n, count: 1, workload: %s, run: repeat}]}\n' "$2"
}
P512=data/traces/resnet152-bs512.pdu.csv
N4096=data/traces/resnet152-bs4096.nvidia-smi.csv
check fit-help 0 'usage: wattsim fit TRACE' "$W" help fit
check fit-pdu 0 '^  kind: stats$' "$W" fit $P512
cp "$T/out" "$T/fit512.yaml"
for want in '^resnet152-bs512:$' '^  runtime: 26 h$' '^  median: 4.685 kW$' \
            '^  max: 5.02 kW$' '^  sd: 110 W$' '^# 1561 samples, one every 60 s, over 26 h$'; do
    grep -Eq -- "$want" "$T/fit512.yaml" || { echo "FAIL fit-pdu lacks /$want/"; fails=$((fails + 1)); }
done
wrap "$T/fit512.yaml" resnet152-bs512 > "$T/s512.yaml"
check fit-pdu-check 0 'resnet152-bs512 +stats: median 4.685 kW, max 5.02 kW' "$W" check "$T/s512.yaml"
check fit-nvsmi 0 '^  kind: phases$' "$W" fit --format nvidia-smi --base 0.84kW --name bs4096 $N4096
cp "$T/out" "$T/fit4096.yaml"
for want in '^bs4096:$' '^  level: 6.267 kW$' '^  dip_period: 20 min$' '^  dip_length: 75 s$' \
            '^  dip_power: 2.001 kW$' '8 GPUs summed per sample' '^# 6 dips below'; do
    grep -Eq -- "$want" "$T/fit4096.yaml" || { echo "FAIL fit-nvsmi lacks /$want/"; fails=$((fails + 1)); }
done
wrap "$T/fit4096.yaml" bs4096 > "$T/s4096.yaml"
if "$W" check "$T/s4096.yaml" 2>&1 | grep -q "unknown workload kind 'phases'"; then
    echo "skip fit-nvsmi-check (kind phases is not registered in this build)"
else
    check fit-nvsmi-check 0 'bs4096' "$W" check "$T/s4096.yaml"
fi
check fit-stdin 0 '^trace:$' sh -c "\"$W\" fit - < $P512"
printf 'time,power [kW]\n2024-03-01T10:00:00Z,4.68\n2024-03-01T10:01:00Z,4.x\n' > "$T/bad.csv"
check fit-bad-trace 3 "^wattsim: $T/bad.csv:3:22: power '4.x' is not a number$" "$W" fit "$T/bad.csv"
check fit-no-file 4 'no/such.csv: cannot open' "$W" fit no/such.csv
{ printf 'timestamp, index, power.draw [W]\n'
  i=0
  while [ $i -lt 20 ]; do
      printf '2024/03/01 10:00:%02d, 0, 300 W\n2024/03/01 10:00:%02d, 1, %s\n' $i $i \
          "$( [ $i = 7 ] && echo '[N/A]' || echo '300 W')"
      i=$((i + 1))
  done; } > "$T/nv.csv"
check fit-missing 3 "nv.csv:17:25: power of GPU 1 is missing" "$W" fit --format nvidia-smi "$T/nv.csv"
check fit-skip 0 'nv.csv: 1 sample with a missing value left out \(the first at line 17\)' \
    "$W" fit --format nvidia-smi --skip-missing "$T/nv.csv"
check fit-unknown-opt 2 "unknown option '--colum' \(did you mean --column\?\)" "$W" fit --colum p $P512
check fit-bad-unit 2 '^wattsim fit: --unit kw: expected W or kW$' "$W" fit --unit kw $P512
check fit-bad-format 2 '^wattsim fit: --format dcim: expected csv or nvidia-smi$' "$W" fit --format dcim $P512
check fit-bad-gap 2 '^wattsim fit: --max-gap 5: 5 needs a unit' "$W" fit --max-gap 5 $P512
check fit-bad-base 2 '^wattsim fit: --base 1kW: applies to nvidia-smi logs' "$W" fit --base 1kW $P512
check fit-bad-name 2 "^wattsim fit: --name a.b: 'a.b' is not a workload name" "$W" fit --name a.b $P512
check fit-twice 2 "option '--unit' given twice" "$W" fit --unit W --unit kW $P512
check fit-two-files 2 'one TRACE at a time \(2 given\)' "$W" fit $P512 $P512
check fit-none 2 'no TRACE file given' "$W" fit
printf 't [s],power [W]\n0,1\n60,1\n120,1\n420,1\n480,1\n' > "$T/gap.csv"
check fit-gap 3 "gap.csv:5:1: gap of 5 min since the previous sample \\(line 4\\): longer than the 2 min accepted" \
    "$W" fit --max-gap 2min "$T/gap.csv"

# the scenario's JSON gives the values a model defaults itself, as check
# prints them
check json-chiller-resolved 0 '"approach": 9\.0555' \
    "$W" check --json scenarios/examples/chiller-leesburg.yaml
check json-chiller-design 0 '"design_load_kw": 61\.2' \
    "$W" check --json scenarios/examples/chiller-leesburg.yaml

# wattsim capacity: the seed rack's answer, and its refusals
R70=scenarios/seed/rack-70kw.yaml
check capacity-seed 0 '^1 more node fits\.$' \
    "$W" capacity $R70 --add hgx-h100:llama2-13b --to rack:r01
check capacity-binding 0 'binding: reserve of rack:r01 \(keep 51\.1 kW\): headroom 0\.58 kW with 1 added, -7\.84 kW with 2' \
    "$W" capacity $R70 --add hgx-h100:llama2-13b --to rack:r01
check capacity-nameplate 0 '^at nameplate power: no more node fits\.$' \
    "$W" capacity $R70 --add hgx-h100:llama2-13b --to rack:r01
check capacity-json 0 '"at_nameplate": 0' \
    "$W" capacity --json $R70 --add hgx-h100:llama2-13b --to rack:r01
check capacity-json-added 0 '"added": 1,' \
    "$W" capacity --json $R70 --add hgx-h100:llama2-13b --to rack:r01
check capacity-replicas 0 'at P99\.9 of 20 replicas' \
    "$W" capacity $R70 --add hgx-h100:llama2-13b --to rack:r01 --replicas 20
check capacity-broken 1 'none fits: the scenario breaks a limit already' \
    "$W" capacity $R70 --add hgx-h100 --to rack:r01 --set site.rows.row1.racks.r01.nodes[0].count=7
check capacity-help 0 'usage: wattsim capacity FILE' "$W" help capacity
check capacity-no-to 2 '^wattsim capacity: --to is required' "$W" capacity $R70 --add hgx-h100
check capacity-bad-type 2 "^wattsim capacity: --add hgx: the scenario has no node type 'hgx'" \
    "$W" capacity $R70 --add hgx --to rack:r01
check capacity-bad-scope 2 "^wattsim capacity: --to rack:r9: the scenario has no rack 'r9'" \
    "$W" capacity $R70 --add hgx-h100 --to rack:r9
check capacity-bad-q 2 '^wattsim capacity: --quantile 99: expected a number in \(0, 1\]' \
    "$W" capacity $R70 --add hgx-h100 --to rack:r01 --quantile 99
check capacity-bad-max 2 '^wattsim capacity: --max 0: expected a whole number from 1 to 1000000$' \
    "$W" capacity $R70 --add hgx-h100 --to rack:r01 --max 0
check capacity-bad-add 2 '^wattsim capacity: --add hgx-h100:: expected TYPE or TYPE:WORKLOAD' \
    "$W" capacity $R70 --add hgx-h100: --to rack:r01
check capacity-bad-file 3 'wattsim: --set time=\[1\]:1:1: time: expected a map' "$W" capacity $R70 --add hgx-h100 --to rack:r01 --set 'time=[1]'
check failures-flag 0 'double failures \(beyond the schemes, reported\): 1 line; losing feed:A \+ feed:B leaves 42\.10 kW without a path' \
    "$W" run --failures 2 $R70
check failures-bad 2 '^wattsim run: --failures 3: expected 1' "$W" run --failures 3 $R70

echo "$n checks, $fails failed"
[ "$fails" -eq 0 ]
