/* tests/fuzz/fuzz_base.h - the fixed scenario of fuzz_expect and fuzz_set.
 *
 * Small but with one of everything the loader resolves: counted rows and
 * racks, supply shorthand and explicit rated PDUs, 2N and N racks, site
 * and feed capacities, a stats and two constant workloads, inline and
 * assigned jobs (repeat and once, offset and instant starts), selectors
 * and expectations. 24 steps, so a run takes about a millisecond.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_FUZZ_BASE_H
#define WS_FUZZ_BASE_H

#include "fuzz_common.h"

static const char fuzz_base_yaml[] =
    "name: fuzz-base\n"
    "description: the fixed scenario of the fuzz targets\n"
    "time: {start: 2024-06-01T00:00:00Z, duration: 6 h, step: 15 min}\n"
    "seed: 7\n"
    "facility: {model: pue, pue: 1.3}\n"
    "node_types:\n"
    "  gpu: {nameplate: 10 kW, idle: 2 kW, gpus: 8, gpu_tdp: 700 W, "
    "psus: 6, psu_rating: 3300 W, source: fuzz}\n"
    "  cpu: {nameplate: 1.1 kW, idle: 350 W, psus: 2, psu_rating: 1600 W}\n"
    "workloads:\n"
    "  train: {kind: stats, node_type: gpu, median: 6 kW, max: 6.5 kW, "
    "mean: 5.9 kW, runtime: 2 h, tau: 2 min}\n"
    "  burn: {kind: constant, power: 9 kW, runtime: 1 h}\n"
    "  svc: {kind: constant, power: 700 W, node_type: cpu}\n"
    "site:\n"
    "  feeds:\n"
    "    - {name: A, capacity: 1 MW}\n"
    "    - {name: B, capacity: 1 MW}\n"
    "  redundancy: 2N\n"
    "  capacity: 1.5 MW\n"
    "  rows:\n"
    "    - name: gpu\n"
    "      count: 2\n"
    "      capacity: 600 kW\n"
    "      racks:\n"
    "        - name: r\n"
    "          count: 2\n"
    "          supply: {power: 70 kW, redundancy: 2N}\n"
    "          nodes:\n"
    "            - {name: hgx, type: gpu, count: 4}\n"
    "    - name: svc\n"
    "      racks:\n"
    "        - name: s\n"
    "          count: 2\n"
    "          redundancy: 2N\n"
    "          pdus:\n"
    "            - {name: pa, feed: A, voltage: 415 V, phases: 3, "
    "breaker: 32 A}\n"
    "            - {name: pb, feed: B, voltage: 415 V, phases: 3, "
    "breaker: 32 A, pf: 0.9, derate: 80 %}\n"
    "          nodes:\n"
    "            - {name: web, type: cpu, count: 10, workload: svc, "
    "run: repeat, start: 30 min}\n"
    "            - {name: spare, type: cpu, count: 2, pdus: [pa, pb]}\n"
    "        - name: solo\n"
    "          redundancy: N\n"
    "          pdus:\n"
    "            - {name: p1, feed: A, capacity: 5 kW}\n"
    "          nodes:\n"
    "            - {type: cpu, count: 1}\n"
    "placements:\n"
    "  - {name: job1, nodes: \"rack:gpu01-*\", workload: train, run: repeat}\n"
    "  - name: job2\n"
    "    nodes: [row:gpu02]\n"
    "    workload: burn\n"
    "    run: once\n"
    "    start: 2024-06-01T01:00:00Z\n"
    "expect:\n"
    "  - site.peak_kw <= 1.5 MW\n"
    "  - rack:gpu01-r01.failover_margin >= 0%\n"
    "  - placement:job2.runs_completed == 1\n";

/* Write the fixed scenario into the process's directory; returns its path
 * (static). */
static inline const char *fuzz_base_path(void)
{
    static char path[320];
    if (!path[0]) {
        fuzz_setup_dir();
        snprintf(path, sizeof path, "%s/base.yaml", fuzz_dir);
        fuzz_write(path, fuzz_base_yaml, sizeof fuzz_base_yaml - 1);
    }
    return path;
}

#endif /* WS_FUZZ_BASE_H */
