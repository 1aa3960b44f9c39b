/* tests/fuzz/fuzz_set.c - libFuzzer target: --set overrides.
 *
 * The input is a list of overrides, one per line (a NUL ends a line too;
 * at most 8 are used), passed as `sets` to ws_scenario_load of the fixed
 * scenario of fuzz_base.h: "site.rows.gpu.count=3",
 * "time={duration: 2 h}", "site.rows[1].racks.s.pdus.pa.breaker=16 A".
 * Status and error must follow the API's contract. A scenario that loads
 * is described, turned into JSON and, when small, run once (the run in
 * chunks of fuzz_scenario would halve the speed: fuzz_common.h).
 *
 *   build-fuzz/tests/fuzz/fuzz_set -dict=tests/fuzz/scenario.dict \
 *       -max_len=512 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "fuzz_base.h"

#define FUZZ_MAX_SETS 8

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    fuzz_base_path();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *buf = fuzz_strndup(data, size);
    const char *sets[FUZZ_MAX_SETS];
    size_t n = 0;
    /* lines: split at '\n' and NUL; a last line without '\n' counts */
    size_t start = 0;
    for (size_t i = 0; i <= size && n < FUZZ_MAX_SETS; i++) {
        if (i == size || buf[i] == '\n' || buf[i] == '\0') {
            if (i == size && start == size && n > 0)
                break;  /* nothing after the last '\n' */
            buf[i] = '\0';
            sets[n++] = buf + start;
            start = i + 1;
        }
    }
    ws_scenario *sc = NULL;
    ws_error err;
    memset(&err, 0xa5, sizeof err);  /* must be filled on failure */
    int rc = ws_scenario_load(fuzz_base_path(), sets, n, &sc, &err);
    fuzz_check_load(rc, sc, &err);
    if (rc == WS_OK) {
        fuzz_exercise(sc, 0);
        ws_scenario_free(sc);
    }
    free(buf);
    return 0;
}
