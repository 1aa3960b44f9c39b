/* engine/base/trace_io.h - the trace readers' internal entry (see
 * wattsim/trace.h for the public API and engine/base/trace_io.c for the
 * rules they follow).
 *
 * Not API: nothing here is installed or declared under include/wattsim/.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#ifndef WS_BASE_TRACE_IO_H
#define WS_BASE_TRACE_IO_H

#include <stddef.h>

#include "wattsim/trace.h"
#include "wattsim/wattsim.h"

/* ws_trace_parse with another sample limit than WS_TRACE_MAX_SAMPLES
 * (max_samples >= 2): what the tests use to reach the limit's error
 * without writing fifty million lines. */
int wsi_trace_parse_max(const char *text, size_t len, const char *name,
                        const ws_trace_opts *opts, size_t max_samples,
                        ws_trace **out, ws_error *err);

#endif /* WS_BASE_TRACE_IO_H */
