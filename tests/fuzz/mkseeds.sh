#!/bin/sh
# tests/fuzz/mkseeds.sh OUT - fill the seed corpora of the fuzz targets.
#
# Run from the repository root (`make fuzz` does). Writes OUT/<target>/
# for scenario, units, expect and set: the hand-written seeds of
# tests/fuzz/seeds/<target>/ plus what the repository's YAML files give:
#   scenario  every scenario file (tests/data/{bad,good}, scenarios/,
#             data/catalog.yaml)
#   units     every scalar of those files that starts like a number or
#             an instant ("70 kW", "2024-06-01T00:00:00Z", "0.95")
#   expect    every expectation line of those files
#   set       every "# set:" override of the bad corpus, and the --set
#             examples of docs/SCENARIO.md
#   cli       the hand-written argument lists of tests/fuzz/seeds/cli/
#   trace_csv, trace_nvsmi  the hand-written traces of tests/fuzz/seeds/
#             trace_*/, and the first 40 lines of each trace in
#             data/traces/ of their format (*.pdu.csv, *.nvidia-smi.csv)
#   epw       each weather file of data/weather/ trimmed to the short year
#             fuzz_epw also parses: its LOCATION and DATA PERIODS lines,
#             the other header lines cut to 40 bytes, the first 48 rows
#             cut to their first 10 fields; and the same with 47 rows
#   carbon_csv  the hand-written series of tests/fuzz/seeds/carbon_csv/,
#             and each series of data/carbon/ cut to its header and 200
#             rows (the fuzzer's -max_len is 10 KiB), one of them from
#             its last 200 rows (the year's end)
#   swf       the hand-written logs of tests/fuzz/seeds/swf/ and the SWF
#             files of tests/data/jobs/
#   jobs_csv  the hand-written lists of tests/fuzz/seeds/jobs_csv/ (each
#             starts with the byte that chooses the options,
#             fuzz_jobs_csv.c), and the first 25 lines of each CSV of
#             data/jobs/ behind the bytes of the Alibaba options, with and
#             without skip_incomplete (0x81, 0x80)
# and the reproducers of tests/data/fuzz-crashes/<target>-* (not *-slow-*).
# Files are named by their checksum, so running it again adds nothing
# twice and keeps what the fuzzers added to OUT.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -eu
out=${1:?usage: mkseeds.sh OUT}
for t in scenario units expect set cli trace_csv trace_nvsmi epw carbon_csv swf jobs_csv; do
  mkdir -p "$out/$t"
done

yamls=$(find tests/data/bad tests/data/good scenarios data -name '*.yaml' \
          -type f 2>/dev/null | sort)

# seed TARGET: stdin -> OUT/TARGET/<checksum>
seed() {
  tmp="$out/$1/.new"
  cat > "$tmp"
  sum=$(cksum < "$tmp" | tr ' ' '-')
  mv "$tmp" "$out/$1/seed-$sum"
}

# one seed per line of stdin (empty lines skipped)
seed_lines() {
  while IFS= read -r l; do
    [ -n "$l" ] && printf '%s' "$l" | seed "$1"
  done
  return 0
}

# the hand-written seeds, and the reproducers of past findings (a fixed
# bug stays fixed) but those named *-slow-*: inputs that take seconds by
# design would only slow every run down
for t in scenario units expect set cli trace_csv trace_nvsmi epw carbon_csv swf jobs_csv; do
  for f in tests/fuzz/seeds/"$t"/* tests/data/fuzz-crashes/"$t"-*; do
    case $f in *-slow-*) continue ;; esac
    [ -f "$f" ] && seed "$t" < "$f"
  done
done

for f in $yamls; do
  seed scenario < "$f"
done

# scalars: cut flow collections and "key: value" apart, drop comments and
# list dashes, keep what starts with a digit, a sign or a dot
for f in $yamls; do
  sed -e 's/ #.*$//' -e 's/^#.*$//' "$f" | tr '{}[],' '[\n*]' |
    sed -e 's/^.*: //' -e 's/^[ -]*//' -e 's/[ ]*$//' -e 's/^"\(.*\)"$/\1/' |
    grep -E '^[-+.0-9]' | grep -vE '^.{65,}' | sort -u
done | sort -u | seed_lines units

# expectations: list items of an expect: list ("- scope.metric OP value")
for f in $yamls; do
  sed -n -e 's/ #.*$//' \
    -e 's/^[ ]*- *"\{0,1\}\([a-z]*[:.][^"]*[<>=][^"]*\)"\{0,1\}[ ]*$/\1/p' \
    "$f"
done | sort -u | seed_lines expect

# overrides
{
  sed -n 's/^# set: //p' tests/data/bad/*.yaml
  grep '^wattsim ' docs/SCENARIO.md | grep -oE -- "--set ('[^']*'|[^ ']+)" |
    sed -e 's/^--set //' -e "s/^'\(.*\)'$/\1/"
} | sort -u | seed_lines set

# traces: the head of each shipped trace (the fuzzers' -max_len cuts the
# rest anyway)
for f in data/traces/*.pdu.csv; do
  [ -f "$f" ] && head -n 40 "$f" | seed trace_csv
done
for f in data/traces/*.nvidia-smi.csv; do
  [ -f "$f" ] && head -n 40 "$f" | seed trace_nvsmi
done

# weather: a trimmed real file (the fuzzer's -max_len is 8 KiB)
for f in data/weather/*.epw; do
  [ -f "$f" ] || continue
  { head -n 1 "$f"; sed -n '2,7p' "$f" | cut -c1-40; sed -n 8p "$f"
    sed -n '9,56p' "$f" | cut -d, -f1-10; } | seed epw
  { head -n 8 "$f" | cut -c1-100; sed -n '9,55p' "$f" | cut -d, -f1-10; } |
    seed epw
done

# carbon: the head of each shipped series, and the tail of one
for f in data/carbon/*.csv; do
  [ -f "$f" ] && head -n 201 "$f" | seed carbon_csv
done
f=data/carbon/eia-2022-CISO.csv
[ -f "$f" ] && { head -n 1 "$f"; tail -n 200 "$f"; } | seed carbon_csv

# job lists: SWF files whole (small), CSV heads behind the options byte
for f in tests/data/jobs/*.swf; do
  [ -f "$f" ] && seed swf < "$f"
done
for f in data/jobs/*.csv; do
  [ -f "$f" ] || continue
  { printf '\201'; head -n 25 "$f"; } | seed jobs_csv
  { printf '\200'; head -n 25 "$f"; } | seed jobs_csv
done

for t in scenario units expect set cli trace_csv trace_nvsmi epw carbon_csv swf jobs_csv; do
  printf 'mkseeds: %s: %s seeds\n' "$t" \
    "$(find "$out/$t" -type f ! -name .new | wc -l)"
done
