# wattsim - top-level convenience targets (the build itself is CMake).
#
#   make run     install what is missing, build, run the seed scenarios
#   make test    install what is missing, build, run the whole test suite
#   make asan    build with AddressSanitizer+UBSan and run the suite
#   make valgrind  run the suite under valgrind memcheck (no leaks allowed)
#   make bench   build and run the benchmarks (bench/README.md)
#   make fuzz    build the libFuzzer targets with clang (build-fuzz) and run
#                each for FUZZ_SECONDS (default 60); fails on any crash
#                (tests/fuzz/run.sh; artifacts in build-fuzz/artifacts/)
#   make clean   remove the build directories
#
# Dependencies are Debian packages. As root, missing ones are installed
# with apt-get (after apt-get update); otherwise the command to install
# them is printed and make stops.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
DEB_PKGS   := gcc libc6-dev make cmake pkg-config libyaml-dev libgsl-dev \
              libsqlite3-dev libcmocka-dev libjansson-dev
VG_PKGS    := valgrind
SEEDS      := scenarios/seed/*.yaml
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# clang, and the libFuzzer/ASan/UBSan runtimes (split out of clang-14)
FUZZ_PKGS  := clang libclang-rt-dev
FUZZ_TARGETS := fuzz_scenario fuzz_units fuzz_expect fuzz_set

.PHONY: all deps build run test asan valgrind bench fuzz clean

all: build

deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	      || missing="$$missing $$p"; \
	  done; \
	else \
	  for t in cc cmake pkg-config; do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "wattsim: missing tools:$$missing; install a C compiler, cmake, pkg-config and the"; \
	    echo "development files of libyaml, gsl, sqlite3, cmocka and jansson"; exit 1; \
	  fi; \
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

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/cli/wattsim run $(SEEDS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DWS_SANITIZE=ON \
	  -DWS_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

vg-deps:
	@command -v valgrind >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(VG_PKGS); \
	  else echo "wattsim: install valgrind as root: apt-get install $(VG_PKGS)"; exit 1; fi; }

# valgrind is installed before the build configures, so CTest finds it
valgrind: vg-deps
	$(MAKE) build
	ctest --test-dir $(BUILD) -T memcheck -j $(JOBS) --output-on-failure \
	  -E test_cli --overwrite MemoryCheckCommand=$$(command -v valgrind)
	valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  --error-exitcode=99 -q $(BUILD)/cli/wattsim run --quiet --json \
	  --csv $(BUILD)/vg-csv --db $(BUILD)/vg.db $(SEEDS) >/dev/null

fuzz: deps
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(FUZZ_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	      || missing="$$missing $$p"; \
	  done; \
	elif ! command -v clang >/dev/null 2>&1; then \
	  echo "wattsim: make fuzz needs clang and its libFuzzer and sanitizer runtimes"; \
	  exit 1; \
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
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWS_FUZZ=ON -DWS_WERROR=OFF \
	  -DWS_BUILD_TESTS=OFF -DWS_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGETS)
	sh tests/fuzz/mkseeds.sh $(FUZZ_BUILD)/corpus
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	$(BUILD)/bench/bench_campus --baseline
	$(BUILD)/bench/bench_seeds 20

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
