/* tests/fuzz/fuzz_epw.c - libFuzzer target: the EPW weather reader
 * (wsi_epw_parse, engine/base/epw.c) and the outdoor air of a step
 * (wsi_epw_fill).
 *
 * The input bytes are the file's text, exactly as given (copied into a
 * buffer of their size, not NUL-terminated: ASan catches a read past its
 * end). They are parsed twice: as a whole year (8760 rows) and as a
 * short one of 48 rows (wsi_epw_parse_rows), which inputs of a few KiB
 * can reach. Checked:
 *  - success: n is the year's rows (8760 or, with Feb 29, 8784; 48), the
 *    leap flag agrees, the header's numbers and every hour's values are
 *    finite and in their documented ranges, the wet bulb lies in
 *    [-100 degC, dry bulb]; wsi_epw_fill over steps of odd length from
 *    odd instants gives dry bulbs within the file's range and wet bulbs
 *    within its range;
 *  - failure: the error contract of fuzz_common.h, named after the file,
 *    and a located error on a line of the input (or the one after its
 *    last, for a file that ends too soon) and a column at most one past
 *    the end of that line.
 *
 *   build-fuzz/tests/fuzz/fuzz_epw -max_len=8192 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "fuzz_common.h"

#include "base/epw.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    return 0;
}

/* Lines as the reader counts them (LF, CRLF, CR), and the characters
 * (UTF-8 code points) of line k, 1-based. */
static size_t lines_of(const uint8_t *s, size_t n, size_t k, size_t *chars)
{
    size_t line = 0, i = 0;
    *chars = 0;
    while (i < n) {
        line++;
        size_t c = 0;
        while (i < n && s[i] != '\n' && s[i] != '\r') {
            c += (s[i] & 0xc0) != 0x80;
            i++;
        }
        if (line == k)
            *chars = c;
        if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
            i += 2;
        else if (i < n)
            i++;
    }
    return line;
}

static int in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

static void check_ok(const wsi_epw *w, size_t year_rows, const uint8_t *data,
                     size_t size)
{
    FUZZ_CHECK(w->n == year_rows || (w->leap && w->n == year_rows + 24),
               "%zu rows, leap %d, for a year of %zu", w->n, w->leap,
               year_rows);
    FUZZ_CHECK(!w->leap || year_rows > 59 * 24, "a leap file of %zu rows",
               w->n);
    FUZZ_CHECK(in(w->lat_deg, -90, 90) && in(w->lon_deg, -180, 180) &&
                   in(w->tz_h, -12, 14) && in(w->elev_m, -1000, 9999.9) &&
                   w->place,
               "header out of range");
    double lo = INFINITY, hi = -INFINITY, wlo = INFINITY, whi = -INFINITY;
    for (size_t i = 0; i < w->n; i++) {
        FUZZ_CHECK(in(w->db_c[i], -90, 70) && in(w->dp_c[i], -90, 70) &&
                       in(w->rh_pct[i], 0, 110) &&
                       in(w->p_pa[i], 30000, 120000),
                   "row %zu out of range", i);
        FUZZ_CHECK(in(w->wb_c[i], -100, w->db_c[i]),
                   "row %zu: wet bulb %g for dry bulb %g", i, w->wb_c[i],
                   w->db_c[i]);
        lo = fmin(lo, w->db_c[i]);
        hi = fmax(hi, w->db_c[i]);
        wlo = fmin(wlo, w->wb_c[i]);
        whi = fmax(whi, w->wb_c[i]);
    }
    /* steps from an instant the input picks */
    int64_t start = 946684800; /* 2000-01-01, a leap year */
    for (size_t i = 0; i < size && i < 8; i++)
        start += (int64_t)data[i] * 86400 * 3 + (int64_t)data[i] * 977;
    double db[64], wb[64];
    wsi_epw_fill(w, start, 1234.5, 7, 64, db, wb);
    for (int i = 0; i < 64; i++)
        FUZZ_CHECK(in(db[i], lo - 1e-9, hi + 1e-9) &&
                       in(wb[i], wlo - 1e-9, whi + 1e-9),
                   "fill %d: %g / %g outside the file's range", i, db[i],
                   wb[i]);
}

static void one(const char *text, const uint8_t *data, size_t size,
                size_t year_rows)
{
    wsi_epw *w = NULL;
    ws_error e;
    int rc = wsi_epw_parse_rows(text, size, "w.epw", year_rows, &w, &e);
    if (rc == WS_OK) {
        FUZZ_CHECK(w != NULL, "WS_OK without a result");
        check_ok(w, year_rows, data, size);
        wsi_epw_free(w);
        return;
    }
    FUZZ_CHECK(w == NULL, "a result with an error");
    fuzz_check_error(rc, &e, "wsi_epw_parse");
    FUZZ_CHECK(strcmp(e.file, "w.epw") == 0, "error names '%s'", e.file);
    if (e.line > 0) {
        size_t chars;
        size_t lines = lines_of(data, size, (size_t)e.line, &chars);
        FUZZ_CHECK((size_t)e.line <= lines + 1, "line %d of %zu: %s",
                   e.line, lines, e.message);
        FUZZ_CHECK(e.col >= 0 && (size_t)e.col <= chars + 1,
                   "column %d of a line of %zu characters: %s", e.col,
                   chars, e.message);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    one(text, data, size, WSI_EPW_HOURS);
    one(text, data, size, 48);
    free(text);
    return 0;
}
