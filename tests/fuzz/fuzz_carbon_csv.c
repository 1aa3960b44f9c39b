/* tests/fuzz/fuzz_carbon_csv.c - libFuzzer target: the carbon-intensity
 * series reader (wsi_ci_parse, engine/base/carbon.c) and the intensity of
 * instants and steps (wsi_ci_at, wsi_ci_fill, wsi_ci_covers).
 *
 * The input bytes are the file's text, exactly as given (copied into a
 * buffer of their size, not NUL-terminated: ASan catches a read past its
 * end). They are parsed three ways: with the default options; with a
 * gap limit of 10 years (so that series the gap rule refuses still reach
 * the time mapping); and with a limit of 16 rows (the row limit's path).
 * Checked:
 *  - success: at least 2 samples, instants strictly increasing within
 *    1900..9999, values finite in [0, 5000], the median interval between
 *    the smallest and the largest, no more holes than lines; at each
 *    sample both HOLD and LINEAR give the sample's value (ALIGN_EXACT);
 *    for every mode, wsi_ci_at at instants around and between the
 *    samples, and from years far away, and wsi_ci_fill over blocks of
 *    steps (whole and fractional steps, from instants the input picks)
 *    lie within [min, max] of the values; a fill with a whole step gives
 *    what wsi_ci_at gives at each step's instant; the series covers its
 *    own span and not a second before it;
 *  - failure: the error contract of fuzz_common.h, named after the file,
 *    located on a line of the input (or the one after its last) at a
 *    column at most one past the end of that line.
 *
 *   build-fuzz/tests/fuzz/fuzz_carbon_csv -max_len=10240 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "fuzz_common.h"

#include "base/carbon.h"
#include "base/units.h"

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

static void check_value(double v, double lo, double hi, const char *what,
                        long long u)
{
    FUZZ_CHECK(isfinite(v) && v >= lo && v <= hi,
               "%s at %lld: %.17g outside the values' [%.17g, %.17g]", what,
               u, v, lo, hi);
}

static void check_ok(const wsi_ci *s, const uint8_t *data, size_t size)
{
    FUZZ_CHECK(s->n >= 2, "%zu samples", s->n);
    FUZZ_CHECK(s->file && strcmp(s->file, "c.csv") == 0 && s->column,
               "names");
    size_t chars;
    const size_t lines = lines_of(data, size, 0, &chars);
    FUZZ_CHECK(s->n + s->holes <= lines, "%zu samples and %zu holes in %zu "
               "lines", s->n, s->holes, lines);
    double lo = INFINITY, hi = -INFINITY;
    int64_t dmin = INT64_MAX, dmax = 0;
    for (size_t i = 0; i < s->n; i++) {
        FUZZ_CHECK(s->t_unix[i] >= WSI_INSTANT_MIN &&
                       s->t_unix[i] <= WSI_INSTANT_MAX,
                   "instant %zu: %lld", i, (long long)s->t_unix[i]);
        FUZZ_CHECK(isfinite(s->g_kwh[i]) && s->g_kwh[i] >= 0 &&
                       s->g_kwh[i] <= WSI_CI_MAX_G,
                   "value %zu: %g", i, s->g_kwh[i]);
        if (i) {
            const int64_t d = s->t_unix[i] - s->t_unix[i - 1];
            FUZZ_CHECK(d > 0, "instants %zu and %zu not increasing", i - 1,
                       i);
            dmin = d < dmin ? d : dmin;
            dmax = d > dmax ? d : dmax;
        }
        lo = fmin(lo, s->g_kwh[i]);
        hi = fmax(hi, s->g_kwh[i]);
    }
    FUZZ_CHECK(s->interval_s >= (double)dmin && s->interval_s <= (double)dmax,
               "median interval %g outside [%lld, %lld]", s->interval_s,
               (long long)dmin, (long long)dmax);
    /* at the samples */
    for (size_t i = 0; i < s->n; i++) {
        const int64_t u = s->t_unix[i];
        FUZZ_CHECK(wsi_ci_at(s, WSI_CI_HOLD, WSI_CI_ALIGN_EXACT, u) ==
                           s->g_kwh[i] &&
                       wsi_ci_at(s, WSI_CI_LINEAR, WSI_CI_ALIGN_EXACT, u) ==
                           s->g_kwh[i],
                   "at sample %zu (%lld) not its value %g", i, (long long)u,
                   s->g_kwh[i]);
    }
    /* instants around and between samples, and far away */
    int64_t pick = 0; /* < 10^12, without wrapping (UBSan checks) */
    for (size_t i = 0; i < size && i < 16; i++)
        pick = (pick * 31 + data[i]) % 1000000000000;
    const int64_t t0 = s->t_unix[0], tn = s->t_unix[s->n - 1];
    const int64_t us[] = {t0 - 1, t0 + 1, tn - 1, tn + 1,
                          t0 + (tn - t0) / 2, t0 + (pick % 1000003),
                          INT64_MIN, INT64_MAX, -pick, pick * 7919,
                          t0 - 3 * 31556952LL, tn + 41 * 31556952LL};
    for (size_t k = 0; k < sizeof us / sizeof us[0]; k++)
        for (int interp = 0; interp < 2; interp++)
            for (int align = 0; align < 2; align++)
                check_value(wsi_ci_at(s, interp, align, us[k]), lo, hi,
                            "wsi_ci_at", (long long)us[k]);
    /* blocks of steps: a whole step against wsi_ci_at, a fractional one
     * within range */
    enum { N = 48 };
    double out[N];
    const int64_t start = t0 - 7200 + (pick % 86400);
    const double dt = (double)(1 + (size % 5000));
    for (int interp = 0; interp < 2; interp++) {
        for (int align = 0; align < 2; align++) {
            const int64_t st = align == WSI_CI_ALIGN_YEAR
                                   ? start + 37 * 31556952LL
                                   : start;
            wsi_ci_fill(s, interp, align, st, dt, 5, N, out);
            for (int i = 0; i < N; i++) {
                const int64_t u = st + (int64_t)((5 + i) * dt);
                const double want = wsi_ci_at(s, interp, align, u);
                FUZZ_CHECK(out[i] == want, "fill step %d (%lld): %.17g, at: "
                           "%.17g", 5 + i, (long long)u, out[i], want);
            }
            wsi_ci_fill(s, interp, align, st, 1234.567, (uint64_t)pick, N,
                        out);
            for (int i = 0; i < N; i++)
                check_value(out[i], lo, hi, "wsi_ci_fill", (long long)i);
        }
    }
    FUZZ_CHECK(wsi_ci_covers(s, t0, tn) == 1 &&
                   wsi_ci_covers(s, t0 - 1, tn) == 0,
               "covers its span [%lld, %lld]", (long long)t0, (long long)tn);
}

static void one(const char *text, const uint8_t *data, size_t size,
                double max_gap_s, size_t max_rows)
{
    wsi_ci_opts o = {NULL, NULL, max_gap_s};
    wsi_ci *s = NULL;
    ws_error e;
    int rc = wsi_ci_parse_limits(text, size, "c.csv", &o, WSI_CI_MAX_BYTES,
                                 max_rows, &s, &e);
    if (rc == WS_OK) {
        FUZZ_CHECK(s != NULL, "WS_OK without a result");
        check_ok(s, data, size);
        wsi_ci_free(s);
        return;
    }
    FUZZ_CHECK(s == NULL, "a result with an error");
    fuzz_check_error(rc, &e, "wsi_ci_parse");
    FUZZ_CHECK(strcmp(e.file, "c.csv") == 0, "error names '%s'", e.file);
    if (e.line > 0) {
        size_t chars;
        size_t lines = lines_of(data, size, (size_t)e.line, &chars);
        FUZZ_CHECK((size_t)e.line <= lines + 1, "line %d of %zu: %s",
                   e.line, lines, e.message);
        FUZZ_CHECK(e.col >= 1 && (size_t)e.col <= chars + 1,
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
    one(text, data, size, 0, WSI_CI_MAX_ROWS);
    one(text, data, size, 10 * 31556952.0, WSI_CI_MAX_ROWS);
    one(text, data, size, 0, 16);
    free(text);
    return 0;
}
