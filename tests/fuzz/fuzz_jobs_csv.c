/* tests/fuzz/fuzz_jobs_csv.c - libFuzzer target: the CSV job-list reader
 * (wsi_jobcsv_parse; engine/base/jobs_io.c).
 *
 * The first byte of the input chooses the column options, the rest is
 * the file's text, read and checked as fuzz_jobs.h says. Bits of the
 * first byte:
 *   0x80  the Alibaba columns (creation_time, scheduled_time,
 *         deletion_time, num_gpu, gpu_milli, qos, name: the options of
 *         data/jobs/SOURCES.md); then 0x01 skip_incomplete, 0x02 times in
 *         minutes, the others unused. Otherwise, columns named submit
 *         and:
 *   0x01  run (a duration), else start and end
 *   0x06  0: gpus; 2: nodes; 4: gpus and nodes; 6: gpus and share
 *   0x08  skip_incomplete
 *   0x10  times in hours (time_unit_s 3600), else seconds
 *   0x20  workload, class, id and req (requested time)
 *   0x40  with run: a start column too (the wait)
 * so a printable first byte picks a set: 'a' (run, start, texts, gpus),
 * '+' (run, nodes, skip, texts), '.' (start/end, gpus and share, skip,
 * texts), '0' (start/end, gpus, hours, texts), '$' (start/end, gpus and
 * nodes, texts).
 *
 *   build-fuzz/tests/fuzz/fuzz_jobs_csv -dict=tests/fuzz/jobs.dict \
 *       -max_len=2048 CORPUS_DIR
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

static wsi_jobcsv_opts opts_of(unsigned sel)
{
    wsi_jobcsv_opts o;
    memset(&o, 0, sizeof o);
    if (sel & 0x80) {
        o.submit = "creation_time";
        o.start = "scheduled_time";
        o.end = "deletion_time";
        o.gpus = "num_gpu";
        o.gpu_share = "gpu_milli";
        o.klass = "qos";
        o.id = "name";
        o.skip_incomplete = sel & 0x01;
        o.time_unit_s = sel & 0x02 ? 60 : 0;
        return o;
    }
    o.submit = "submit";
    if (sel & 0x01) {
        o.duration = "run";
        if (sel & 0x40)
            o.start = "start";
    } else {
        o.start = "start";
        o.end = "end";
    }
    switch ((sel >> 1) & 3) {
    case 0: o.gpus = "gpus"; break;
    case 1: o.nodes = "nodes"; break;
    case 2: o.gpus = "gpus"; o.nodes = "nodes"; break;
    default: o.gpus = "gpus"; o.gpu_share = "share"; break;
    }
    o.skip_incomplete = (sel & 0x08) != 0;
    o.time_unit_s = sel & 0x10 ? 3600 : 0;
    if (sel & 0x20) {
        o.workload = "workload";
        o.klass = "class";
        o.id = "id";
        o.requested = "req";
    }
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    wsi_jobcsv_opts o = opts_of(data[0]);
    fuzz_jobs_input(data + 1, size - 1, &o);
    return 0;
}
