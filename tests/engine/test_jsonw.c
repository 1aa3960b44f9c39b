/* tests/engine/test_jsonw.c - the streaming JSON writer (base/jsonw.c):
 * byte for byte jansson's json_dumps of the same tree, through its own
 * buffer, with pieces larger than the buffer, indentation deeper than
 * its chunk of spaces, another writer going on in the same FILE after
 * wsi_jw_key, and write errors.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include "ws_test.h"

#include <jansson.h>

#include "base/jsonw.h"

static size_t flags_of(int indent)
{
    return (indent ? JSON_INDENT(indent) : JSON_COMPACT) |
           JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12);
}

/* Write the same document through wsi_jw and as one jansson tree, and
 * compare the texts: a deep chain of objects (depth x indent past 64
 * spaces), a string larger than the writer's buffer, and many small
 * values (the buffer fills and empties hundreds of times). */
static void same_as_jansson(int indent)
{
    enum { DEPTH = 20, N = 6000 };
    size_t big_n = 3 * sizeof(((wsi_jw *)0)->buf) + 17;
    char *big = malloc(big_n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < big_n; i++)
        big[i] = (char)('a' + (int)(i % 26));
    big[big_n] = '\0';

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    wsi_jw w;
    wsi_jw_init(&w, f, indent, 12);
    wsi_jw_open_obj(&w, NULL);
    json_t *root = json_object(), *o = root;
    for (int d = 0; d < DEPTH; d++) {
        char k[16];
        snprintf(k, sizeof k, "level%d", d);
        wsi_jw_open_obj(&w, k);
        json_t *c = json_object();
        json_object_set_new(o, k, c);
        o = c;
    }
    wsi_jw_value(&w, "big", json_string(big));
    json_object_set_new(o, "big", json_string(big));
    wsi_jw_open_arr(&w, "values");
    json_t *arr = json_array();
    for (int i = 0; i < N; i++) {
        double v = 1.0 / (i + 3) * 1000.0;
        wsi_jw_value(&w, NULL, json_real(v));
        json_array_append_new(arr, json_real(v));
    }
    wsi_jw_close(&w);
    json_object_set_new(o, "values", arr);
    wsi_jw_open_arr(&w, "empty");
    wsi_jw_close(&w);
    json_object_set_new(o, "empty", json_array());
    for (int d = 0; d < DEPTH; d++)
        wsi_jw_close(&w);
    wsi_jw_close(&w);
    assert_int_equal(wsi_jw_finish(&w), WS_OK);
    assert_int_equal(fclose(f), 0);

    char *want = json_dumps(root, flags_of(indent));
    assert_non_null(want);
    assert_int_equal(len, strlen(want));
    assert_string_equal(text, want);
    free(want);
    free(text);
    json_decref(root);
    free(big);
}

static void test_same_as_jansson(void **st)
{
    (void)st;
    same_as_jansson(0);
    same_as_jansson(2);
    same_as_jansson(4);
}

/* After wsi_jw_key the FILE is another writer's: what the buffer held
 * is in the FILE before it writes, and the document goes on after. */
static void test_key_hands_over(void **st)
{
    (void)st;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    wsi_jw w;
    wsi_jw_init(&w, f, 2, 12);
    wsi_jw_open_obj(&w, NULL);
    wsi_jw_value(&w, "a", json_integer(1));
    wsi_jw_key(&w, "b");
    fputs("[7]", f); /* the other writer's value */
    wsi_jw_value(&w, "c", json_string("x"));
    wsi_jw_close(&w);
    assert_int_equal(wsi_jw_finish(&w), WS_OK);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(text, "{\n  \"a\": 1,\n  \"b\": [7],\n  \"c\": \"x\"\n}");
    free(text);
}

/* A write error reaches wsi_jw_finish, also when the whole document fit
 * in the buffer (the FILE sees it only at the end) and when a piece
 * larger than the buffer goes straight to the FILE. */
static void test_write_errors(void **st)
{
    (void)st;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0); /* each write reaches the device */
    wsi_jw w;
    wsi_jw_init(&w, f, 2, 12);
    wsi_jw_open_obj(&w, NULL);
    wsi_jw_value(&w, "a", json_integer(1));
    wsi_jw_close(&w);
    assert_int_equal(wsi_jw_finish(&w), WS_ERR_IO);

    size_t n = 2 * sizeof w.buf;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'z', n);
    big[n] = '\0';
    wsi_jw_init(&w, f, 0, 12);
    wsi_jw_open_arr(&w, NULL);
    wsi_jw_value(&w, NULL, json_string(big));
    assert_int_equal(w.err, WS_ERR_IO); /* at once: too big to wait */
    wsi_jw_value(&w, NULL, json_integer(2)); /* sticky: nothing more */
    wsi_jw_close(&w);
    assert_int_equal(wsi_jw_finish(&w), WS_ERR_IO);
    free(big);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_jansson),
        cmocka_unit_test(test_key_hands_over),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
