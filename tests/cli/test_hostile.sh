#!/bin/sh
# tests/cli/test_hostile.sh - what a hostile or careless user tried on the
# wattsim command (issue "Hardening II"), one check per attack, each of
# which failed before its fix: crashes on flag values, files overwritten
# or mixed, databases taken over or runs lost to a lock, unbounded work
# from a small file, misleading output. Usage: test_hostile.sh WATTSIM
# (from the repository root). The concurrency checks repeat their race
# enough times to catch a 20 % failure rate (0.8^10 = 11 %, 0.8^20 = 1 %:
# 10 to 20 rounds) and are bounded by `timeout`.
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
W=$1
case $W in /*) ;; *) W=$(pwd)/$W ;; esac
T=$(mktemp -d /tmp/wattsim-hostile-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
n=0
SEED=$(pwd)/scenarios/seed/rack-70kw-6nodes.yaml
CAT=$(pwd)/data/catalog.yaml

note_fail() { echo "FAIL $1"; fails=$((fails + 1)); }

# check NAME EXPECTED_EXIT PATTERN(stdout+stderr, grep -E, may be empty) CMD...
check() {
    name=$1 want=$2 pat=$3
    shift 3
    n=$((n + 1))
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' "$T/err" | head -5
        fails=$((fails + 1)); return 1
    fi
    if [ -n "$pat" ] && ! cat "$T/out" "$T/err" | grep -Eq -- "$pat"; then
        echo "FAIL $name: output lacks /$pat/"; cat "$T/out" "$T/err" | head -10 | sed 's/^/  | /'
        fails=$((fails + 1)); return 1
    fi
    echo "ok   $name"
}

# {===== crashes and undefined behaviour: flag values range-checked
check every-1e25 3 '^wattsim: --every 1e25s: .*longer than the horizon' \
    "$W" run --quiet --every 1e25s --csv "$T/c1" $SEED
check every-2p64 3 '^wattsim: --every 18446744073705455616s: .*longer than the horizon' \
    "$W" run --quiet --every 18446744073705455616s --csv "$T/c2" $SEED --set time.duration=10000000s --set time.step=10s
check every-zero 2 'every 0: must be a positive duration' "$W" run --every 0 --csv "$T/c3" $SEED
check every-not-multiple 3 '^wattsim: --every 30s: series resolution 30 s is not a whole multiple of the step \(1 min\)' \
    "$W" run --quiet --every 30s --csv "$T/c4" $SEED
check every-nan 2 'every nan s' "$W" run --every 'nan s' --csv "$T/c5" $SEED
check max-work-hex 2 "max-work 0x10: expected a positive number" "$W" run --max-work 0x10 $SEED
check max-work-zero 2 "max-work 0: expected a positive number" "$W" run --max-work 0 $SEED
check series-typo 2 "series: unknown kind of scope 'rak'" "$W" run --series rak --csv "$T/c6" $SEED
check series-alone 2 'series applies only with --csv or --db' "$W" run --series site $SEED
[ ! -e "$T/c1" ] && [ ! -e "$T/c4" ] || note_fail "a refused run created its --csv directory"
# =====}

# {===== files overwritten or corrupted: --csv holds exactly one whole run
# references: the two scenarios each written alone
"$W" run --quiet --csv "$T/refA" --every 1min $SEED
"$W" run --quiet --csv "$T/refB" --every 1min $SEED --set site.rows.row1.racks.r01.nodes[0].count=5
# a symbolic link planted inside the directory: its target is never written
echo precious > "$T/victim"
"$W" run --quiet --csv "$T/planted" $SEED
ln -s "$T/victim" "$T/planted/metrics.csv.tmp"
check csv-planted-link 4 'holds what wattsim does not write \(metrics.csv.tmp\)' "$W" run --quiet --csv "$T/planted" $SEED
[ "$(cat "$T/victim")" = precious ] || note_fail "csv-planted-link: the link's target was overwritten"
ln -sf "$T/victim" "$T/planted2"
check csv-link-to-file 4 'exists and is not a directory' "$W" run --quiet --csv "$T/planted2" $SEED
[ "$(cat "$T/victim")" = precious ] || note_fail "csv-link-to-file: the link's target was overwritten"
# a directory of the user's is never replaced
mkdir -p "$T/home"; echo mine > "$T/home/notes.txt"
check csv-foreign-dir 4 'holds what wattsim does not write \(notes.txt\)' "$W" run --quiet --csv "$T/home" $SEED
[ "$(cat "$T/home/notes.txt")" = mine ] || note_fail "csv-foreign-dir: a user's file changed"
check csv-dot 4 "not '.', '..'" "$W" run --quiet --csv . $SEED
# a directory an earlier run used holds the new run only: no leftovers
cat > "$T/two.yaml" <<EOF
include: $CAT
time: {duration: 2 h}
site:
  feeds: [A, B]
  racks: [{name: x, count: 2, supply: {power: 30 kW, redundancy: 2N}, nodes: [{type: hgx-h100, workload: gpu-burn}]}]
EOF
"$W" run --quiet --csv "$T/reuse" --series all "$T/two.yaml"
[ -f "$T/reuse/rack_x02.csv" ] || note_fail "csv-reuse: the first run lacks rack_x02.csv"
check csv-reuse 0 '' "$W" run --quiet --csv "$T/reuse" --every 1min $SEED
diff -r "$T/reuse" "$T/refA" >/dev/null || note_fail "csv-reuse: the directory is not exactly the second run"
# two runs into one directory at once, 20 rounds: always one whole run
mixed=0 lost=0
for i in $(seq 1 20); do
    timeout 60 "$W" run --quiet --csv "$T/same" --every 1min $SEED 2>>"$T/race.err" &
    timeout 60 "$W" run --quiet --csv "$T/same" --every 1min $SEED \
        --set site.rows.row1.racks.r01.nodes[0].count=5 2>>"$T/race.err" &
    wait
    diff -r "$T/same" "$T/refA" >/dev/null || diff -r "$T/same" "$T/refB" >/dev/null ||
        mixed=$((mixed + 1))
done
n=$((n + 1))
if [ "$mixed" -eq 0 ] && [ ! -s "$T/race.err" ]; then echo "ok   csv-concurrent (20 rounds)"
else note_fail "csv-concurrent: $mixed of 20 rounds mixed two runs; errors: $(head -c 300 "$T/race.err")"; fi
ls -a "$T" | grep -q '\.same\.wattsim-' && note_fail "csv-concurrent: a temporary directory was left"
# killed while writing: the directory keeps the earlier run, and the next
# run removes the temporary directory the killed one left
cat > "$T/wide.yaml" <<EOF
include: $CAT
time: {duration: 30 d}
site:
  feeds: [A, B]
  racks: [{name: r, count: 300, supply: {power: 30 kW, redundancy: 2N}, nodes: [{name: g, type: hgx-h100}]}]
placements: [{name: j, nodes: all, workload: llama2-13b, run: repeat, noise: per-node}]
EOF
# (each node its own noise: 300 distinct rack loads, 300 files to write)
cp -r "$T/refA" "$T/kill"
"$W" run --quiet --csv "$T/kill" --every 1min --series rack "$T/wide.yaml" &
pid=$!
k=0
while [ $k -lt 200 ] && ! ls -a "$T" | grep -q '^\.kill\.wattsim-'; do sleep 0.05; k=$((k + 1)); done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
n=$((n + 1))
if ls -a "$T" | grep -q '^\.kill\.wattsim-'; then
    diff -r "$T/kill" "$T/refA" >/dev/null && echo "ok   csv-killed-keeps-old" ||
        note_fail "csv-killed-keeps-old: the directory changed"
    "$W" run --quiet --csv "$T/kill" $SEED
    ls -a "$T" | grep -q '^\.kill\.wattsim-' && note_fail "csv-killed: the stale temporary directory was not removed"
else
    echo "skip csv-killed-keeps-old (the write finished before the kill)"
fi
# terminated (SIGTERM; SIGINT, SIGHUP, SIGQUIT alike) while writing: the
# directory is finished and put in place first, then the run stops by
# the signal, and nothing temporary is left (a background job ignores
# SIGINT in a script, so the test sends TERM)
rm -rf "$T/term"
"$W" run --quiet --csv "$T/term" --every 1min --series rack "$T/wide.yaml" &
pid=$!
k=0
while [ $k -lt 200 ] && ! ls -a "$T" | grep -q '^\.term\.wattsim-'; do sleep 0.05; k=$((k + 1)); done
kill -TERM $pid 2>/dev/null; wait $pid; st=$?
n=$((n + 1))
if [ $k -ge 200 ] || { [ $st -eq 0 ] && [ -f "$T/term/metrics.csv" ] &&
                         ! ls -a "$T" | grep -q '^\.term\.wattsim-'; }; then
    # (or it finished between the look at the directory and the signal:
    # a whole run, nothing left, exit 0)
    echo "skip csv-terminated-cleans-up (the write finished before the signal)"
elif [ $st -eq 143 ] && [ -f "$T/term/metrics.csv" ] &&
    [ "$(ls "$T/term" | grep -c '^rack_')" -eq 300 ] &&
    ! ls -a "$T" | grep -q '^\.term\.wattsim-'; then
    echo "ok   csv-terminated-cleans-up"
else
    note_fail "csv-terminated-cleans-up: exit $st, $(ls "$T/term" 2>/dev/null | wc -l) files, temporary: $(ls -a "$T" | grep -c '^\.term\.wattsim-')"
fi
# two scenario files of one name into one --csv: refused before running
mkdir -p "$T/d1" "$T/d2"
sed 's/^name: .*//' $SEED | sed "s|../../data/catalog.yaml|$CAT|" > "$T/d1/s.yaml"
cp "$T/d1/s.yaml" "$T/d2/s.yaml"
check csv-same-name 2 "are both named 's' and would write the same" "$W" run --quiet "$T/d1/s.yaml" "$T/d2/s.yaml" --csv "$T/D"
[ ! -e "$T/D" ] || note_fail "csv-same-name: something was written before the refusal"
check stdin-twice 2 "given twice" "$W" check - -
# =====}

# {===== databases: foreign files untouched, checks before the run, no
# finished run lost to a lock
LONG="--set time.duration=3650d --set time.step=1s --max-work none"
if command -v sqlite3 >/dev/null 2>&1; then
    sqlite3 "$T/foreign.db" "create table foo(x); insert into foo values (1);"
    before=$(cksum < "$T/foreign.db")
    check db-foreign 4 'another program \(table foo\).*left as it is' timeout 20 "$W" run --quiet --db "$T/foreign.db" $SEED $LONG
    [ "$(cksum < "$T/foreign.db")" = "$before" ] || note_fail "db-foreign: the file changed"
    ls "$T"/foreign.db-* >/dev/null 2>&1 && note_fail "db-foreign: -wal/-shm files were left"
    sqlite3 "$T/own.db" "create table runs(id integer primary key); pragma user_version=1;"
    before=$(cksum < "$T/own.db")
    check db-own-runs-table 4 'its table .* is missing or differs' timeout 20 "$W" run --quiet --db "$T/own.db" $SEED $LONG
    [ "$(cksum < "$T/own.db")" = "$before" ] || note_fail "db-own-runs-table: the file changed"
    sqlite3 "$T/appid.db" "pragma application_id=1234; create table t(x);"
    check db-app-id 4 'belongs to another program' "$W" run --quiet --db "$T/appid.db" $SEED
    # a wattsim database to which its user added a view stays usable
    "$W" run --quiet --db "$T/mine.db" $SEED
    sqlite3 "$T/mine.db" "create view peaks as select * from metrics where name = 'peak_kw';"
    check db-own-view 0 '' "$W" run --quiet --db "$T/mine.db" $SEED
    [ "$(sqlite3 "$T/mine.db" 'select count(*) from runs')" = 2 ] || note_fail "db-own-view: the run was not added"
    # a version-4 database (instants stored in loads) whose user indexed
    # the column that version 5 drops: the upgrade stops before the run,
    # the file as it was; without the index it is upgraded
    "$W" run --quiet --db "$T/v4.db" $SEED
    sqlite3 "$T/v4.db" "drop view series;
      create table l4(run_id integer not null references runs(id) on delete cascade,
        load_id integer not null, t_s real not null, time_utc text not null,
        mean_kw real not null, max_kw real not null, facility_mean_kw real,
        primary key(run_id, load_id, t_s)) without rowid;
      insert into l4 select l.run_id, l.load_id, l.t_s,
        strftime('%Y-%m-%dT%H:%M:%SZ', cast(strftime('%s', r.start_utc) as integer)
          + cast(l.t_s as integer), 'unixepoch'), l.mean_kw, l.max_kw, l.facility_mean_kw
        from loads l join runs r on r.id = l.run_id;
      drop table loads; alter table l4 rename to loads;
      create view series(run_id, scope, t_s, time_utc, mean_kw, max_kw, facility_mean_kw) as
        select m.run_id, m.scope, l.t_s, l.time_utc, l.mean_kw * m.factor, l.max_kw * m.factor,
        case when m.facility then l.facility_mean_kw end from series_scopes m join loads l
        on l.run_id = m.run_id and l.load_id = m.load_id;
      pragma user_version=4; create index mine on loads(time_utc);"
    v4rows=$(sqlite3 "$T/v4.db" "select group_concat(time_utc || mean_kw, ',') from series")
    before=$(cksum < "$T/v4.db")
    check db-upgrade-blocked 4 'version 5: error in index mine .*nothing was changed: drop that index, run again' \
        timeout 20 "$W" run --quiet --db "$T/v4.db" $SEED $LONG
    [ "$(cksum < "$T/v4.db")" = "$before" ] || note_fail "db-upgrade-blocked: the file changed"
    sqlite3 "$T/v4.db" "drop index mine;"
    check db-upgrade-v4 0 '' "$W" run --quiet --db "$T/v4.db" $SEED
    [ "$(sqlite3 "$T/v4.db" 'pragma user_version; select count(*) from runs')" = "5
2" ] || note_fail "db-upgrade-v4: not at version 5 with both runs"
    [ "$(sqlite3 "$T/v4.db" "select group_concat(time_utc || mean_kw, ',') from series where run_id = 1")" = "$v4rows" ] ||
        note_fail "db-upgrade-v4: the first run's series changed"
fi
# read-only database file in a writable directory, as an ordinary user
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    mkdir -p "$T/nr"; chmod 777 "$T/nr"; chmod o+rx "$T"
    # the other user may not reach the checkout (a clone in /root, mode
    # 700): the command, the scenario and its include go where it can
    mkdir -p "$T/nr/w/scenarios/seed" "$T/nr/w/data"
    cp "$W" "$T/nr/w/wattsim"
    cp "$SEED" "$T/nr/w/scenarios/seed/"
    cp data/catalog.yaml "$T/nr/w/data/"
    chmod -R a+rX "$T/nr/w"
    NRSEED=$T/nr/w/scenarios/seed/$(basename "$SEED")
    "$W" run --quiet --db "$T/nr/ro.db" $SEED
    chmod 444 "$T/nr/ro.db"
    before=$(cksum < "$T/nr/ro.db")
    check db-readonly-file 4 'cannot write to the database \(Permission denied\)' \
        timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$T/nr/w/wattsim" run --quiet --db "$T/nr/ro.db" "$NRSEED" $LONG
    [ "$(cksum < "$T/nr/ro.db")" = "$before" ] || note_fail "db-readonly-file: the file changed"
    ls "$T/nr"/ro.db-* >/dev/null 2>&1 && note_fail "db-readonly-file: -wal/-shm files were left"
else
    echo "skip db-readonly-file (needs root and setpriv to act as another user)"
fi
# four writers on a new file at once, 20 rounds: every run is kept
lost=0
for i in $(seq 1 20); do
    rm -f "$T/c.db" "$T/c.db-wal" "$T/c.db-shm"
    for k in 1 2 3 4; do
        timeout 120 "$W" run --quiet --db "$T/c.db" $SEED --set time.duration=2d 2>>"$T/db.err" &
    done
    wait
    if command -v sqlite3 >/dev/null 2>&1; then
        got=$(sqlite3 "$T/c.db" 'select count(*) from runs')
        lost=$((lost + 4 - got))
    fi
done
n=$((n + 1))
if [ "$lost" -eq 0 ] && [ ! -s "$T/db.err" ]; then echo "ok   db-concurrent-new (20 rounds x 4 writers)"
else note_fail "db-concurrent-new: $lost runs lost; errors: $(head -c 300 "$T/db.err")"; fi
# a long write holds the lock: the second writer waits, nothing is lost
rm -f "$T/big.db"*
for k in 1 2; do
    timeout 300 "$W" run --quiet --db "$T/big.db" --every 1min $SEED --set time.duration=60d 2>>"$T/big.err" &
done
wait
n=$((n + 1))
if command -v sqlite3 >/dev/null 2>&1 && [ "$(sqlite3 "$T/big.db" 'select count(*) from runs')" = 2 ] && [ ! -s "$T/big.err" ]; then
    echo "ok   db-concurrent-long"
elif ! command -v sqlite3 >/dev/null 2>&1 && [ ! -s "$T/big.err" ]; then
    echo "ok   db-concurrent-long (no sqlite3 to count: no error)"
else
    note_fail "db-concurrent-long: $(head -c 300 "$T/big.err")"
fi
# a failing expectation with its report lost: the write error wins
check expect-fail-full 4 'cannot write to standard output' sh -c "\"$W\" run $SEED --set site.rows.row1.racks.r01.nodes[0].count=7 > /dev/full"
check expect-fail-full-json 4 'cannot write to standard output' sh -c "\"$W\" run --json $SEED --set site.rows.row1.racks.r01.nodes[0].count=7 > /dev/full"
check check-full 4 'cannot write to standard output' sh -c "\"$W\" check $SEED > /dev/full"
# =====}

# {===== unbounded work from a small file: refused before the run
# (10 000 staggered nodes: 6 013 scopes, 2 011 distinct loads; the
# lock-stepped campus's 3 763 scopes are a handful of loads, which fit)
check output-too-large 3 '6013 scopes \(2011 distinct loads\) x 525600 points \(1.06e\+09 values\) exceeds the limit of 2e\+07 values: choose a resolution of at least 53 min' \
    timeout 60 "$W" run --quiet --db "$T/campus.db" --every 1min --series all bench/stagger-10k.yaml
[ ! -e "$T/campus.db" ] || note_fail "output-too-large: the database was made for a refused run"
check output-series-narrowed 0 '' timeout 120 "$W" run --quiet --db "$T/campus.db" --every 1h --series site,feed,row scenarios/examples/campus-10k.yaml
cat > "$T/forever.yaml" <<EOF
include: $CAT
time: {duration: 10000000000 s, step: 10 s}
site:
  racks: [{name: r, count: 10000, supply: {power: 20 kW}, nodes: [{type: hgx-h100, workload: gpu-burn}]}]
EOF
check work-limit 3 'more than the limit of 1e\+11.*--max-work' timeout 60 "$W" run --quiet "$T/forever.yaml"
# 20 000 racks and 10 000 expectations: the summary and the expectations
# are linear in the scopes (a quadratic lookup took 123 s here)
{
    printf 'include: %s\ntime: {duration: 1 h}\nsite:\n  feeds: [A, B]\n' "$CAT"
    printf '  rows: [{name: row, count: 20, racks: [{name: r, count: 1000, supply: {power: 70 kW, redundancy: 2N}, nodes: [{type: hgx-h100, workload: gpu-burn}]}]}]\n'
    printf 'expect:\n'
    for r in $(seq 1 10); do for k in $(seq -w 1 1000); do
        printf '  - rack:row%02d-r%s.peak_kw <= 70 kW\n' "$r" "$k"; done; done
} > "$T/racks20k.yaml"
check summary-20k-racks 0 'expectations: 10000 of 10000 hold' timeout 60 "$W" run "$T/racks20k.yaml"
# =====}

# {===== silently wrong or misleading
cat > "$T/dips.yaml" <<EOF
time: {duration: 1 d}
node_types: {n: {nameplate: 10 kW, idle: 1 kW}}
workloads: {w: {kind: stats, median: 5 kW, max: 5.5 kW, mean: 4 kW, dip_length: 1e9 s}}
site: {racks: [{name: r, supply: {power: 20 kW}, nodes: [{type: n, workload: w}]}]}
EOF
check dips-too-long 3 "too long to average out in the 24 h it runs" "$W" check "$T/dips.yaml"
# include: through a symbolic link resolves as the operating system does
mkdir -p "$T/inc/real/sub"
ln -s "$T/inc/real/sub" "$T/inc/lnk"
printf 'facility: {pue: 1.11}\n' > "$T/inc/real/cat.yaml"
printf 'facility: {pue: 1.99}\n' > "$T/inc/cat.yaml"
printf 'include: lnk/../cat.yaml\ntime: {duration: 1 h}\nsite: {racks: [{name: r, supply: {power: 1 kW}}]}\n' > "$T/inc/s.yaml"
check include-symlink-dotdot 0 'pue 1.11' "$W" check "$T/inc/s.yaml"
# a pipe and standard input are scenario files too
check check-pipe 0 'scenario  scenario' sh -c "\"$W\" check /dev/stdin < \"$T/inc/real/cat.yaml\" 2>&1; cat \"$T/inc/s.yaml\" | sed 's|lnk/../cat.yaml|$T/inc/real/cat.yaml|' | \"$W\" check -"
# an include bomb stops at the YAML node limit: a limit (exit 3), not
# out of memory
for l in 0 1 2 3 4 5; do
    nx=$((l + 1))
    if [ $l -lt 5 ]; then
        printf 'include: [%s]\n' "$(for k in 1 2 3 4 5 6 7 8 9 10; do printf 'l%s.yaml, ' $nx; done | sed 's/, $//')" > "$T/l$l.yaml"
    else
        printf 'workloads: {a: {kind: constant, power: 1 W}, b: {kind: constant, power: 2 W}}\n' > "$T/l$l.yaml"
    fi
done
printf 'time: {duration: 1 h}\nsite: {racks: [{name: r, supply: {power: 1 kW}}]}\n' >> "$T/l0.yaml"
check include-bomb 3 'more than 1000000 YAML nodes' timeout 60 "$W" check "$T/l0.yaml"
# control characters from the file never reach the terminal raw
printf 'description: "a\\x1b[2Jb\\rc"\ntime: {duration: 1 h}\nsite: {racks: [{name: r, supply: {power: 1 kW}}]}\n' > "$T/esc.yaml"
check check-escapes 0 'a\\x1b\[2Jb\\x0dc' "$W" check "$T/esc.yaml"
grep -q "$(printf '\033')" "$T/out" && note_fail "check-escapes: a raw ESC was printed"
printf 'time: {duration: 1 h}\nnode_types: {n: {nameplate: 1 kW, idle: -0 kW}}\nsite: {racks: [{name: r, supply: {power: 1 kW}}]}\n' > "$T/negzero.yaml"
check negative-zero 0 '"idle_kw": 0\.0' "$W" check --json "$T/negzero.yaml"
grep -q -- '-0\.0' "$T/out" && note_fail "negative-zero: -0.0 in the output"
check actual-dimensionless 1 '\(actual 7\)$' "$W" run --quiet $SEED --set 'expect=["rack:r01.nodes <= 6"]' --set site.rows.row1.racks.r01.nodes[0].count=7
check year-10000 3 'ends after 9999-12-31T23:59:59Z' "$W" check $SEED --set time.start=9999-06-01T00:00:00Z --set time.duration=365d
check hex-number 3 "'0x10' is not a decimal number" "$W" check $SEED --set facility.pue=0x10
check db-twice 2 "option '--db' given twice" "$W" run --db "$T/a.db" --db "$T/b.db" $SEED
check csv-twice 2 "option '--csv' given twice" "$W" run --csv "$T/a" --csv "$T/b" $SEED
[ ! -e "$T/a.db" ] && [ ! -e "$T/b.db" ] || note_fail "db-twice: a database was created"
# =====}

echo "$n checks, $fails failed"
[ "$fails" -eq 0 ]
