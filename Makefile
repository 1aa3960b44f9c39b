# wattsim - top-level convenience targets (the build itself is CMake).
#
#   make run       install what is missing, build, run the seed scenarios
#   make test      install what is missing, build, run the whole test suite
#   make asan      build with AddressSanitizer+UBSan and run the suite
#   make tsan      build with ThreadSanitizer and run the threads test
#                  (simulations in parallel threads: no data race, the
#                  results of one after the other)
#   make valgrind  run the suite and the CLI under valgrind memcheck
#   make fuzz      build the libFuzzer targets with clang (build-fuzz) and run
#                  each for FUZZ_SECONDS (default 60; FUZZ_TARGETS lists
#                  them: scenario, units, expect, set, cli, trace_csv,
#                  trace_nvsmi, epw, carbon_csv, swf,
#                  jobs_csv), FUZZ_JOBS of them at once (default: the
#                  cores); fails on any crash
#                  (tests/fuzz/run.sh; artifacts in build-fuzz/artifacts/)
#   make docs      regenerate the key tables of docs/SCENARIO.md from the
#                  schemas (test_docs fails when they differ)
#   make bench     build and run the benchmarks (bench/README.md)
#   make clean     remove the build directories
#
# Dependencies are Debian packages. As root, missing ones are installed
# with apt-get (after apt-get update); otherwise the command to install
# them is printed and make stops.

# CMake's makefiles run under this one would each print "Entering
# directory" (GNU make does in every sub-make): quiet, as cmake --build is
MAKEFLAGS    += --no-print-directory

BUILD        ?= build
ASAN_BUILD   ?= build-asan
TSAN_BUILD   ?= build-tsan
FUZZ_BUILD   ?= build-fuzz
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS   ?=
FUZZ_SECONDS ?= 60
SEEDS        := scenarios/seed/*.yaml

DEB_PKGS  := gcc libc6-dev make cmake pkg-config libyaml-dev libgsl-dev \
             libsqlite3-dev libcmocka-dev libjansson-dev
VG_PKGS   := valgrind
# clang, and the libFuzzer/ASan/UBSan runtimes (split out of clang-14)
FUZZ_PKGS := clang libclang-rt-dev
FUZZ_TARGETS := fuzz_scenario fuzz_units fuzz_expect fuzz_set fuzz_cli \
                fuzz_trace_csv fuzz_trace_nvsmi fuzz_epw fuzz_carbon_csv \
                fuzz_swf fuzz_jobs_csv

# $(call ensure,PACKAGES,TOOLS): install the Debian PACKAGES that are
# missing (as root, after apt-get update) or print the install line and
# stop. Without dpkg (not Debian), check that the TOOLS are on the PATH
# and leave the rest to CMake's messages.
define ensure
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	      || missing="$$missing $$p"; \
	  done; \
	else \
	  for t in $(2); do \
	    command -v $$t >/dev/null 2>&1 || { \
	      echo "wattsim: '$$t' not found; install the equivalents of:$(1)"; \
	      exit 1; }; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "wattsim: installing:$$missing"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y --no-install-recommends $$missing; \
	  else \
	    echo "wattsim: missing packages:$$missing"; \
	    echo "install them as root with: apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

.PHONY: all deps vg-deps fuzz-deps build run test docs asan tsan valgrind fuzz \
        bench \
        clean

all: build

deps:
	$(call ensure,$(DEB_PKGS),cc cmake pkg-config)

vg-deps: deps
	$(call ensure,$(VG_PKGS),valgrind)

fuzz-deps: deps
	$(call ensure,$(FUZZ_PKGS),clang)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/cli/wattsim run $(SEEDS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

docs: build
	$(BUILD)/docs/wattsim-gendoc docs/SCENARIO.md

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DWS_SANITIZE=ON \
	  -DWS_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWS_TSAN=ON \
	  -DWS_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target test_threads
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest --test-dir $(TSAN_BUILD) -R '^test_threads$$' --output-on-failure

# valgrind is installed before the build configures, so CTest finds it;
# the shell-script tests (CLI, hostile, golden, layers, baseline) are left
# out (they would check the shell); the CLI itself runs under valgrind
# after them
valgrind: vg-deps
	$(MAKE) build
	ctest --test-dir $(BUILD) -T memcheck -j $(JOBS) --output-on-failure \
	  -E 'test_cli|test_hostile|test_golden|test_layers|test_baseline' --overwrite MemoryCheckCommand=$$(command -v valgrind)
	valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  --error-exitcode=99 -q $(BUILD)/cli/wattsim run --quiet --json \
	  --csv $(BUILD)/vg-csv --db $(BUILD)/vg.db $(SEEDS) >/dev/null

fuzz: fuzz-deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWS_FUZZ=ON -DWS_WERROR=OFF \
	  -DWS_BUILD_TESTS=OFF -DWS_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGETS)
	sh tests/fuzz/mkseeds.sh $(FUZZ_BUILD)/corpus
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	$(BUILD)/bench/bench_campus --baseline
	$(BUILD)/bench/bench_output
	$(BUILD)/bench/bench_seeds 20

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
