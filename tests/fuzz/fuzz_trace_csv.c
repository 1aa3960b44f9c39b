/* tests/fuzz/fuzz_trace_csv.c - libFuzzer target: the CSV trace reader
 * (ws_trace_parse, WS_TRACE_CSV; engine/base/trace_io.c).
 *
 * The input is a PDU/DCIM export. It is read with four option sets -
 * units from the header; units given (kW, offsets in s); columns named,
 * missing values skipped; a fixed longest gap - and each result is
 * checked as fuzz_trace.h says (invariants of a trace, or an error
 * located inside the input; the same result with CRLF and with a BOM).
 *
 *   build-fuzz/tests/fuzz/fuzz_trace_csv -dict=tests/fuzz/trace.dict \
 *       -max_len=1024 CORPUS_DIR
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
    {.format = WS_TRACE_CSV},
    {.format = WS_TRACE_CSV, .power_scale = 1000, .time_unit_s = 1},
    {.format = WS_TRACE_CSV, .time_column = "time", .power_column = "power",
     .missing = WS_TRACE_MISSING_SKIP},
    {.format = WS_TRACE_CSV, .max_gap_s = 3600, .time_unit_s = 60,
     .missing = WS_TRACE_MISSING_SKIP},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_trace_input(data, size, sets, sizeof sets / sizeof sets[0]);
    return 0;
}
