/* tests/fuzz/fuzz_expect.c - libFuzzer target: the expectation parser.
 *
 * The input, cut at its first NUL, is one expectation line
 * ("rack:gpu01-r01.peak_kw <= 51 kW") parsed by wsi_expect_parse against
 * the fixed scenario of fuzz_base.h, loaded once. On success the parsed
 * fields must be set, the text kept as written, the value and tolerances
 * finite and not negative where they must not be, and the expectation must
 * hold for its own value exactly when its operator includes equality. On
 * failure there must be a message and an offset inside the text. The
 * parsed strings are freed every time.
 *
 *   build-fuzz/tests/fuzz/fuzz_expect -dict=tests/fuzz/scenario.dict \
 *       -max_len=256 CORPUS_DIR
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <math.h>

#include "fuzz_base.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ws_scenario *base;

static void free_base(void)
{
    ws_scenario_free(base);
    base = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ws_global_init();
    ws_error err;
    int rc = ws_scenario_load(fuzz_base_path(), NULL, 0, &base, &err);
    if (rc != WS_OK) {
        char buf[1500];
        ws_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "fuzz_expect: the fixed scenario fails: %s\n", buf);
        exit(2);
    }
    atexit(free_base);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fuzz_strndup(data, size);
    size_t len = strlen(s);
    wsi_expect e;
    memset(&e, 0, sizeof e);
    char msg[300];
    memset(msg, 0x5a, sizeof msg);
    size_t off = (size_t)-1;
    int rc = wsi_expect_parse(base, s, &e, msg, sizeof msg, &off);
    FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2, "'%s': returned %d", s, rc);
    if (rc == 0) {
        FUZZ_CHECK(e.text && e.scope && e.metric, "'%s': a field is NULL",
                   s);
        FUZZ_CHECK(strcmp(e.text, s) == 0, "'%s': text kept as '%s'", s,
                   e.text);
        FUZZ_CHECK(wsi_metric_find(e.metric) != NULL,
                   "'%s': unknown metric '%s' accepted", s, e.metric);
        wsi_scope_kind kind;
        int index;
        char m2[300];
        FUZZ_CHECK(wsi_scope_parse(base, e.scope, &kind, &index, m2,
                                   sizeof m2) == 0,
                   "'%s': scope '%s' does not parse again: %s", s, e.scope,
                   m2);
        FUZZ_CHECK(e.op >= WSI_CMP_LT && e.op <= WSI_CMP_GT, "'%s': op %d",
                   s, (int)e.op);
        FUZZ_CHECK(isfinite(e.value), "'%s': value %g", s, e.value);
        FUZZ_CHECK(isfinite(e.tol) && e.tol >= 0 && isfinite(e.tol_rel) &&
                       e.tol_rel >= 0,
                   "'%s': tolerance %g, relative %g", s, e.tol, e.tol_rel);
        int want = e.op == WSI_CMP_LE || e.op == WSI_CMP_EQ ||
                   e.op == WSI_CMP_GE;
        FUZZ_CHECK(wsi_expect_holds(&e, e.value) == want,
                   "'%s': holds(value) = %d for op %d", s,
                   wsi_expect_holds(&e, e.value), (int)e.op);
    } else if (rc == -1) {
        FUZZ_CHECK(fuzz_nul_terminated(msg, sizeof msg) && msg[0],
                   "'%s': refused without a message", s);
        FUZZ_CHECK(off <= len, "'%s': offset %zu past length %zu", s, off,
                   len);
    }
    wsi_free(e.text);
    wsi_free(e.scope);
    wsi_free(e.metric);
    free(s);
    return 0;
}
