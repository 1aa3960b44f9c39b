/* tests/fuzz/fuzz_scenario.c - libFuzzer target: the scenario loader.
 *
 * The input is a scenario file: it is written to this process's private
 * file (fuzz_common.h) and loaded with ws_scenario_load, whose status and
 * error must follow the API's contract. A scenario that loads is then
 * described, turned into JSON (checked to be valid JSON) and, when it is
 * small enough to take a few milliseconds, simulated twice, in one call
 * and in chunks of steps: the results must be well formed and their JSON
 * identical (fuzz_common.h). Everything is freed, so LeakSanitizer sees
 * any leak of the library.
 *
 *   build-fuzz/tests/fuzz/fuzz_scenario -dict=tests/fuzz/scenario.dict \
 *       -max_len=4096 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "fuzz_common.h"

#define FUZZ_MAX_INPUT (1u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    fuzz_setup_dir();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    fuzz_write(fuzz_file, data, size);
    ws_scenario *sc = NULL;
    ws_error err;
    memset(&err, 0xa5, sizeof err);  /* must be filled on failure */
    int rc = ws_scenario_load(fuzz_file, NULL, 0, &sc, &err);
    fuzz_check_load(rc, sc, &err);
    if (rc == WS_OK) {
        fuzz_exercise(sc, 1);
        ws_scenario_free(sc);
    }
    return 0;
}
