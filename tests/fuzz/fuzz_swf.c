/* tests/fuzz/fuzz_swf.c - libFuzzer target: the SWF job-list reader
 * (wsi_swf_parse; engine/base/jobs_io.c).
 *
 * The input is an SWF file of the Parallel Workloads Archive: header
 * comments and 18-field job lines. It is read as fuzz_jobs.h says: the
 * jobs' fields in their ranges and submit times in order, or an error
 * located inside the input; the same result with CRLF and with a BOM;
 * a limit of 2 jobs refusing at the third.
 *
 *   build-fuzz/tests/fuzz/fuzz_swf -dict=tests/fuzz/jobs.dict \
 *       -max_len=4096 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "fuzz_jobs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_jobs_input(data, size, NULL);
    return 0;
}
