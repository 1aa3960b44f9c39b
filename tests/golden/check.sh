#!/bin/sh
# tests/golden/check.sh WATTSIM [--update] - golden outputs.
#
# The `wattsim run --json` output of every shipped scenario and of the
# inputs in tests/golden/inputs/, and the `--csv --every 1h --series all` directory of
# one seed scenario, stored under tests/golden/ (gzip -9, so the 8 MB of
# the 10 000-node campus take 0.2 MB) and compared byte for byte: a
# change of the code that moves any number, any name or the order of
# anything fails here. Run from the repository root (the documents carry
# the scenario's path as given). MANIFEST lists each case with its exit
# code (1 where a scenario's expectations are meant to fail).
#
# --update writes the golden files anew from WATTSIM: only when a change
# of the numbers is intended, and said so in the commit.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
W=$1
update=${2:-}
G=tests/golden
T=$(mktemp -d /tmp/wattsim-golden-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
n=0

while read -r kind file want; do
    case $kind in ''|'#'*) continue ;; esac
    n=$((n + 1))
    name=$(printf '%s' "$file" | sed 's|/|_|g; s|\.yaml$||')
    case $kind in
    json)
        "$W" run --json "$file" > "$T/out" 2>"$T/err"
        got=$?
        gold="$G/json/$name.json.gz"
        if [ "$update" = --update ]; then
            mkdir -p "$G/json"
            gzip -9 -n -c "$T/out" > "$gold"
        fi
        if [ "$got" -ne "$want" ]; then
            echo "FAIL $file: exit $got, want $want"; head -3 "$T/err"
            fails=$((fails + 1)); continue
        fi
        if ! gzip -dc "$gold" 2>/dev/null | cmp -s - "$T/out"; then
            echo "FAIL $file: --json differs from $gold:"
            gzip -dc "$gold" 2>/dev/null | diff - "$T/out" | head -10
            fails=$((fails + 1)); continue
        fi
        ;;
    csv)
        "$W" run --quiet --csv "$T/csv" --every 1h --series all "$file" 2>"$T/err"
        got=$?
        gold="$G/csv/$name"
        if [ "$update" = --update ]; then
            rm -rf "$gold"
            mkdir -p "$gold"
            for f in "$T"/csv/*.csv; do
                gzip -9 -n -c "$f" > "$gold/$(basename "$f").gz"
            done
        fi
        if [ "$got" -ne "$want" ]; then
            echo "FAIL $file: exit $got, want $want"; head -3 "$T/err"
            fails=$((fails + 1)); continue
        fi
        ok=1
        [ "$(ls "$T/csv" | wc -l)" -eq "$(ls "$gold" | wc -l)" ] || ok=0
        for g in "$gold"/*.gz; do
            f="$T/csv/$(basename "$g" .gz)"
            gzip -dc "$g" | cmp -s - "$f" || { ok=0; echo "  differs: $f"; }
        done
        if [ $ok -ne 1 ]; then
            echo "FAIL $file: --csv differs from $gold"
            fails=$((fails + 1)); continue
        fi
        rm -rf "$T/csv"
        ;;
    *)
        echo "FAIL MANIFEST: unknown kind '$kind'"; fails=$((fails + 1)); continue
        ;;
    esac
    echo "ok   $kind $file"
done < "$G/MANIFEST"

echo "$n golden cases, $fails failed"
[ "$n" -gt 0 ] && [ "$fails" -eq 0 ]
