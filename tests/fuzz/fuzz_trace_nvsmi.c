/* tests/fuzz/fuzz_trace_nvsmi.c - libFuzzer target: the nvidia-smi log
 * reader (ws_trace_parse, WS_TRACE_NVIDIA_SMI; engine/base/trace_io.c).
 *
 * The input is an nvidia-smi --query-gpu log, with or without its header
 * and units. It is read with four option sets - defaults; a base power
 * and missing values skipped; the power column named
 * (power.draw.average), W given; a fixed longest gap - and each result is
 * checked as fuzz_trace.h says (invariants of a trace, or an error
 * located inside the input; the same result with CRLF and with a BOM).
 *
 *   build-fuzz/tests/fuzz/fuzz_trace_nvsmi -dict=tests/fuzz/trace.dict \
 *       -max_len=2048 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "fuzz_trace.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    return 0;
}

static const ws_trace_opts sets[] = {
    {.format = WS_TRACE_NVIDIA_SMI},
    {.format = WS_TRACE_NVIDIA_SMI, .base_w = 840,
     .missing = WS_TRACE_MISSING_SKIP},
    {.format = WS_TRACE_NVIDIA_SMI, .power_column = "power.draw.average",
     .power_scale = 1},
    {.format = WS_TRACE_NVIDIA_SMI, .max_gap_s = 60, .time_unit_s = 1e-3,
     .missing = WS_TRACE_MISSING_SKIP},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_trace_input(data, size, sets, sizeof sets / sizeof sets[0]);
    return 0;
}
