#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS [TARGET...] - run the fuzz targets.
#
# Run from the repository root (`make fuzz` does, after building BUILD and
# filling BUILD/corpus with mkseeds.sh). Each target (default: all of them)
# runs for SECONDS on BUILD/corpus/<target>, which it grows, with a
# -max_len suited to its input, -timeout=10 and -rss_limit_mb=2048. A
# crash, leak, timeout or out-of-memory is written to
# BUILD/artifacts/<target>/; the full output is in BUILD/logs/<target>.log.
# Prints one line per target (executions, speed, coverage) and exits 1
# if any target failed. FUZZ_ARGS adds libFuzzer options to every run;
# FUZZ_JOBS targets run at once (default: the cores, from nproc), each
# one libFuzzer process, so the wall time is about SECONDS x targets /
# FUZZ_JOBS.
#
# To reproduce an artifact:  BUILD/tests/fuzz/fuzz_<target> FILE
# To minimise it:            BUILD/tests/fuzz/fuzz_<target> \
#                              -minimize_crash=1 -runs=10000 FILE
#
# Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
set -u
build=${1:?usage: run.sh BUILD SECONDS [TARGET...]}
secs=${2:?usage: run.sh BUILD SECONDS [TARGET...]}
shift 2
# absolute: a target may change its working directory (fuzz_cli does)
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
targets=${*:-scenario units expect set cli trace_csv trace_nvsmi epw carbon_csv swf jobs_csv}
dict=$(pwd)/tests/fuzz/scenario.dict

# stack traces for UBSan reports; ASan's defaults (leak detection on) stay
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS

# the first line of a report: sanitizers, FUZZ_CHECK, UBSan, timeouts, OOM
first_error='^==[0-9]+== ?ERROR|^SUMMARY|FUZZ_CHECK failed|runtime error'
first_error="$first_error|ALARM|out-of-memory"
# run_one TARGET: fuzz it; its report into logs/TARGET.out, 0 or 1 into
# logs/TARGET.failed
run_one() {
  t=$1
  case $t in
    scenario) len=4096 ;;
    units)    len=128 ;;
    expect)   len=256 ;;
    set)      len=512 ;;
    cli)      len=512 ;;
    trace_csv)   len=1024 ;;
    trace_nvsmi) len=2048 ;;
    epw)         len=8192 ;;
    carbon_csv)  len=10240 ;;
    swf)         len=4096 ;;
    jobs_csv)    len=2048 ;;
    *) echo "run.sh: unknown target '$t'" >&2; exit 2 ;;
  esac
  d=$dict
  [ "$t" = cli ] && d=$(pwd)/tests/fuzz/cli.dict
  case $t in trace_*) d=$(pwd)/tests/fuzz/trace.dict ;; esac
  [ "$t" = epw ] && d=$(pwd)/tests/fuzz/epw.dict
  [ "$t" = carbon_csv ] && d=$(pwd)/tests/fuzz/carbon.dict
  case $t in swf|jobs_csv) d=$(pwd)/tests/fuzz/jobs.dict ;; esac
  bin=$build/tests/fuzz/fuzz_$t
  art=$build/artifacts/$t
  log=$build/logs/$t.log
  mkdir -p "$art" "$build/logs" "$build/corpus/$t"
  # stdin from /dev/null: an include of /dev/stdin must not wait for a tty
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$secs" -max_len=$len -timeout=10 \
    -rss_limit_mb=2048 -dict=$d -print_final_stats=1 \
    -artifact_prefix="$art/" ${FUZZ_ARGS:-} "$build/corpus/$t" \
    </dev/null >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 |
    sed -n 's/.*\(cov: [0-9]*\) \(ft: [0-9]*\) \(corp: [^ ]*\).*/\1 \2 \3/p')
  if [ $rc -eq 0 ]; then
    status=ok
  else
    status="FAILED (exit $rc)"
    what=$(grep -m1 -E "$first_error" "$log" | cut -c1-160)
    artifact=$(sed -n "s/.*Test unit written to \(.*\)/\1/p" "$log" | tail -1)
  fi
  {
    printf 'fuzz_%-11s %s: %s execs, %s exec/s, %s\n' "$t" "$status" \
      "${execs:-?}" "${speed:-?}" "${cov:-no coverage line}"
    if [ $rc -ne 0 ]; then
      printf '    %s\n    artifact: %s\n    log: %s\n' "${what:-see the log}" \
        "${artifact:-none}" "$log"
    fi
  } > "$build/logs/$t.out"
  [ $rc -eq 0 ] && echo 0 > "$build/logs/$t.failed" || echo 1 > "$build/logs/$t.failed"
}

jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) echo "run.sh: FUZZ_JOBS must be a whole number >= 1" >&2; exit 2 ;; esac
for t in $targets; do
  case $t in
    scenario|units|expect|set|cli|trace_csv|trace_nvsmi|epw|carbon_csv|swf|jobs_csv) ;;
    *) echo "run.sh: unknown target '$t'" >&2; exit 2 ;;
  esac
done
mkdir -p "$build/logs"
# batches of FUZZ_JOBS targets at once; reports in the targets' order
failed=""
batch=""
n=0
for t in $targets; do
  run_one "$t" &
  batch="$batch $t"
  n=$((n + 1))
  if [ $n -ge "$jobs" ]; then
    wait
    for b in $batch; do
      cat "$build/logs/$b.out"
      [ "$(cat "$build/logs/$b.failed")" = 0 ] || failed="$failed $b"
    done
    batch=""
    n=0
  fi
done
wait
for b in $batch; do
  cat "$build/logs/$b.out"
  [ "$(cat "$build/logs/$b.failed")" = 0 ] || failed="$failed $b"
done
if [ -n "$failed" ]; then
  echo "fuzz: failed:$failed (artifacts under $build/artifacts/)"
  exit 1
fi
exit 0
