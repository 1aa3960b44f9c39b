#!/bin/sh
# data/make-carbon.sh SRCDIR [OUTDIR] - write the five hourly carbon
# intensity series of data/carbon/ (default OUTDIR: the carbon/ folder
# beside this script) from the EIA-930 files of the project's shared
# data (data/carbon/SOURCES.md says where they come from).
#
# How it was run (from the repository root, with the shared data at
# /work/shared/data):
#     sh data/make-carbon.sh /work/shared/data/carbon
# and again with AWK=mawk and AWK=gawk, which write the same bytes.
#
# What it does, for each zone Z of CISO PJM ERCO BPAT MISO: reads
# SRCDIR/eia-2022-Z.csv (header `timestamp,WND,SUN,WAT,OIL,NG,COL,NUC,
# OTH,avg_CI`, 8 760 hourly rows of 2022 in UTC) and writes
# OUTDIR/eia-2022-Z.csv with two columns, `timestamp,avg_CI`: the
# timestamp as the source prints it ("2022-01-01 00:00:00+00:00") and
# avg_CI, the generation-weighted average intensity in gCO2/kWh, as the
# source prints it (the same characters, no conversion), LF line ends.
# The columns are found by name; a source whose header lacks them, a row
# with another number of fields, or rows that are not consecutive hours
# stop the script.
#
# Holes. The source has 29 hours whose avg_CI is empty (EIA-930 had no
# generation mix for them): CISO 2022-01-05 10:00, 05-17 18:00, 06-13
# 18:00; MISO 2022-06-06 22:00, 06-09 20:00 and 21:00; PJM 2022-03-13
# 07:00 to 03-14 05:00 (23 hours, the day daylight saving began) and
# 11-07 05:00 (UTC). A 23-hour hole breaks the reader's gap rule (3 x the
# median interval), so each hole is filled here, by linear interpolation
# in time between the nearest hours on either side that have a value,
# printed with 3 decimals ("%.3f"). The script lists the filled hours on
# stderr (data/carbon/SOURCES.md has the list). Nothing else is changed.
#
# Portable: POSIX sh and awk (mawk, gawk, busybox); no rand(), no
# locale-dependent output (LC_ALL=C).
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:?usage: make-carbon.sh SRCDIR [OUTDIR]}
out=${2:-"$here/carbon"}
AWK=${AWK:-awk}
LC_ALL=C
export LC_ALL
mkdir -p "$out"

for z in CISO PJM ERCO BPAT MISO; do
  in="$src/eia-2022-$z.csv"
  tmp="$out/.eia-2022-$z.csv.new"
  "$AWK" -F, -v zone="$z" '
function die(msg) { printf "make-carbon: %s: line %d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1; exit 1 }
# days since 1970-01-01 of a Gregorian date (Hinnant days_from_civil)
function days(y, m, d,   era, yoe, doy, doe) {
    y -= (m <= 2)
    era = int((y >= 0 ? y : y - 399) / 400)
    yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}
# hours since the epoch of "YYYY-MM-DD hh:00:00+00:00"
function hour_of(s) {
    if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:00:00\+00:00$/)
        die("timestamp \"" s "\" is not an hour in UTC")
    return days(substr(s, 1, 4) + 0, substr(s, 6, 2) + 0, substr(s, 9, 2) + 0) * 24 + substr(s, 12, 2)
}
NR == 1 {
    nf = NF
    for (i = 1; i <= NF; i++) {
        if ($i == "timestamp") tc = i
        if ($i == "avg_CI") vc = i
    }
    if (!tc || !vc) die("no timestamp or avg_CI column in the header")
    print "timestamp,avg_CI"
    next
}
{
    if (NF != nf) die(NF " fields, the header has " nf)
    n++
    t[n] = $tc
    v[n] = $vc
    h = hour_of($tc)
    if (n > 1 && h != prev + 1) die("not the hour after the row before")
    prev = h
    if (v[n] != "" && v[n] !~ /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/)
        die("avg_CI \"" v[n] "\" is not a number")
}
END {
    if (bad) exit 1
    # fill each hole between the nearest values around it (rows are
    # consecutive hours, so row numbers are hours)
    for (i = 1; i <= n; i++) {
        if (v[i] != "") continue
        for (p = i - 1; p >= 1 && v[p] == ""; p--) ;
        for (q = i + 1; q <= n && v[q] == ""; q++) ;
        if (p < 1 || q > n) { printf "make-carbon: %s: a hole at the end (row %d)\n", zone, i > "/dev/stderr"; exit 1 }
        for (k = i; k < q; k++) {
            v[k] = sprintf("%.3f", v[p] + (v[q] - v[p]) * (k - p) / (q - p))
            printf "make-carbon: %s: filled %s: %s\n", zone, t[k], v[k] > "/dev/stderr"
        }
        i = q
    }
    for (i = 1; i <= n; i++) print t[i] "," v[i]
}' "$in" > "$tmp"
  mv "$tmp" "$out/eia-2022-$z.csv"
  printf 'make-carbon: %s: %s lines\n' "$out/eia-2022-$z.csv" \
    "$(wc -l < "$out/eia-2022-$z.csv" | tr -d ' ')" >&2
done
