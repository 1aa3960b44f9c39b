/* tests/engine/test_ydoc.c - the located YAML tree (engine/scenario/ydoc):
 * locations of maps, lists, keys and scalars; quoting; anchors and
 * aliases; merge keys with the YAML 1.1 precedence (explicit keys, then
 * the merged maps in order); include: merging key by key with the later
 * document winning; --set overrides (map keys, [N], list items by name,
 * flow values, copy on write under aliases); and the refusals (duplicate
 * keys, depth, scalar size, alias expansion, include cycles). Expected
 * values are read off the documents written here.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <sys/stat.h>

#include "ws_test.h"
#include "scenario/ydoc.h"

static char *dir;

static int setup(void **st)
{
    (void)st;
    dir = ws_tmpdir();
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    ws_rmdir(dir);
    return 0;
}

/* Load text as file name; the return code, err filled. */
static int load(wsi_ydoc *doc, const char *name, const char *text,
                ws_error *err)
{
    memset(doc, 0, sizeof *doc);
    const char *p = ws_write_file(dir, name, text);
    return wsi_ydoc_load(doc, p, err);
}

static const wsi_ynode *at(const wsi_ynode *map, const char *key)
{
    const wsi_ynode *n = wsi_ymap_get(map, key);
    if (!n) {
        print_error("no key '%s'\n", key);
        fail();
    }
    return n;
}

static void loc(const wsi_ynode *n, int line, int col)
{
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

/* The error's message (without location) contains want. */
static void err_has(const ws_error *err, const char *want)
{
    if (!strstr(err->message, want)) {
        print_error("error '%s' lacks '%s'\n", err->message, want);
        fail();
    }
}

static void test_locations(void **st)
{
    (void)st;
    wsi_ydoc doc;
    ws_error err;
    assert_int_equal(load(&doc, "a.yaml",
                          "name: x\n"                 /* 1 */
                          "site:\n"                   /* 2 */
                          "  racks:\n"                /* 3 */
                          "    - {name: r1, n: 2}\n"  /* 4 */
                          "    - name: 'r 2'\n"       /* 5 */
                          "      v: \"q\"\n"          /* 6 */
                          "list: [a, b,\n"            /* 7 */
                          "       c]\n",              /* 8 */
                          &err),
                     WS_OK);
    const wsi_ynode *r = doc.root;
    assert_int_equal(r->kind, WSI_Y_MAP);
    assert_int_equal(r->n, 3);
    loc(r, 1, 1);
    /* keys in order, each located at itself */
    assert_string_equal(r->keys[0]->str, "name");
    assert_string_equal(r->keys[1]->str, "site");
    loc(r->keys[1], 2, 1);
    assert_string_equal(r->keys[2]->str, "list");
    const wsi_ynode *nm = at(r, "name");
    assert_int_equal(nm->kind, WSI_Y_SCALAR);
    assert_string_equal(nm->str, "x");
    loc(nm, 1, 7);
    assert_false(nm->quoted);
    const wsi_ynode *racks = at(at(r, "site"), "racks");
    assert_int_equal(racks->kind, WSI_Y_SEQ);
    assert_int_equal(racks->n, 2);
    loc(racks, 4, 5);
    const wsi_ynode *r1 = racks->vals[0];
    assert_int_equal(r1->kind, WSI_Y_MAP);
    loc(r1, 4, 7);
    loc(at(r1, "n"), 4, 21);
    assert_string_equal(at(r1, "n")->str, "2");
    const wsi_ynode *r2 = racks->vals[1];
    assert_string_equal(at(r2, "name")->str, "r 2");
    assert_true(at(r2, "name")->quoted);
    assert_true(at(r2, "v")->quoted);
    loc(at(r2, "v"), 6, 10);
    const wsi_ynode *l = at(r, "list");
    assert_int_equal(l->n, 3);
    loc(l->vals[2], 8, 8);
    /* the file of every node is the file as given */
    assert_non_null(strstr(nm->file, "a.yaml"));
    assert_null(wsi_ymap_get(r, "nothere"));
    assert_null(wsi_ymap_get(nm, "name")); /* not a map */
    assert_string_equal(wsi_ykind_name(l), "a list");
    wsi_ydoc_free(&doc);
}

static void test_anchors_and_merges(void **st)
{
    (void)st;
    wsi_ydoc doc;
    ws_error err;
    assert_int_equal(load(&doc, "m.yaml",
                          "base: &b {x: 1, y: 2}\n"
                          "more: &m {y: 20, z: 30}\n"
                          "same: *b\n"
                          "one: {<<: *b, x: 10}\n"
                          "two: {<<: [*m, *b], w: 0}\n",
                          &err),
                     WS_OK);
    const wsi_ynode *r = doc.root;
    /* an alias is the anchored node itself */
    assert_ptr_equal(at(r, "same"), at(r, "base"));
    /* explicit keys win over the merged map */
    const wsi_ynode *one = at(r, "one");
    assert_int_equal(one->n, 2);
    assert_string_equal(at(one, "x")->str, "10");
    assert_string_equal(at(one, "y")->str, "2");
    assert_null(wsi_ymap_get(one, "<<"));
    /* merged maps in order: the first that has a key gives it (YAML 1.1
     * merge: y from *m, not *b) */
    const wsi_ynode *two = at(r, "two");
    assert_int_equal(two->n, 4);
    assert_string_equal(at(two, "w")->str, "0");
    assert_string_equal(at(two, "y")->str, "20");
    assert_string_equal(at(two, "z")->str, "30");
    assert_string_equal(at(two, "x")->str, "1");
    /* the anchored maps are unchanged */
    assert_int_equal(at(r, "base")->n, 2);
    assert_string_equal(at(at(r, "base"), "x")->str, "1");
    wsi_ydoc_free(&doc);

    /* << of a scalar is refused, located at the scalar */
    assert_int_equal(load(&doc, "m2.yaml", "a: {<<: 3}\n", &err),
                     WS_ERR_SCENARIO);
    err_has(&err, "<< merges maps, not a scalar");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 9);
    wsi_ydoc_free(&doc);
}

static void test_includes(void **st)
{
    (void)st;
    wsi_ydoc doc;
    ws_error err;
    char sub[512];
    snprintf(sub, sizeof sub, "%s/lib", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    ws_write_file(dir, "lib/base.yaml",
                  "time: {duration: 1 h, step: 1 min}\n"
                  "site: {racks: [{name: a}]}\n"
                  "node_types: {n: {nameplate: 1 kW}}\n");
    ws_write_file(dir, "lib/more.yaml",
                  "node_types: {m: {nameplate: 2 kW}, n: {idle: 0.1 kW}}\n");
    assert_int_equal(load(&doc, "top.yaml",
                          "include: [lib/base.yaml, lib/more.yaml]\n"
                          "time: {duration: 2 h}\n"
                          "site: {racks: [{name: b}]}\n",
                          &err),
                     WS_OK);
    const wsi_ynode *r = doc.root;
    assert_null(wsi_ymap_get(r, "include"));
    /* maps merge key by key, the including file over the included ones */
    const wsi_ynode *t = at(r, "time");
    assert_string_equal(at(t, "duration")->str, "2 h");
    assert_string_equal(at(t, "step")->str, "1 min");
    assert_non_null(strstr(at(t, "step")->file, "base.yaml"));
    assert_non_null(strstr(at(t, "duration")->file, "top.yaml"));
    /* a list is replaced, not appended */
    const wsi_ynode *racks = at(at(r, "site"), "racks");
    assert_int_equal(racks->n, 1);
    assert_string_equal(at(racks->vals[0], "name")->str, "b");
    /* later includes over earlier ones, deep */
    const wsi_ynode *nt = at(r, "node_types");
    assert_int_equal(nt->n, 2);
    assert_string_equal(at(at(nt, "n"), "nameplate")->str, "1 kW");
    assert_string_equal(at(at(nt, "n"), "idle")->str, "0.1 kW");
    assert_string_equal(at(at(nt, "m"), "nameplate")->str, "2 kW");
    /* the root is located in the including file */
    assert_non_null(strstr(r->file, "top.yaml"));
    wsi_ydoc_free(&doc);

    /* a cycle is refused, naming the file that closes it */
    ws_write_file(dir, "c1.yaml", "include: c2.yaml\n");
    ws_write_file(dir, "c2.yaml", "include: c1.yaml\n");
    char path[512];
    snprintf(path, sizeof path, "%s/c1.yaml", dir);
    memset(&doc, 0, sizeof doc);
    assert_int_equal(wsi_ydoc_load(&doc, path, &err), WS_ERR_SCENARIO);
    err_has(&err, "includes itself");
    wsi_ydoc_free(&doc);
    /* an included list is refused */
    ws_write_file(dir, "l.yaml", "- a\n- b\n");
    assert_int_equal(load(&doc, "inc-list.yaml", "include: l.yaml\n", &err),
                     WS_ERR_SCENARIO);
    err_has(&err, "an included file must be a map of keys, not a list");
    wsi_ydoc_free(&doc);
}

static void test_set(void **st)
{
    (void)st;
    wsi_ydoc doc;
    ws_error err;
    assert_int_equal(load(&doc, "s.yaml",
                          "a: &x {b: 1}\n"
                          "c: *x\n"
                          "racks: [{name: r1, p: 1}, {name: r2, p: 2}]\n",
                          &err),
                     WS_OK);
    /* a map key; the alias that shared the node keeps its value */
    assert_int_equal(wsi_ydoc_set(&doc, "a.b=5", &err), WS_OK);
    assert_string_equal(at(at(doc.root, "a"), "b")->str, "5");
    assert_string_equal(at(at(doc.root, "c"), "b")->str, "1");
    /* a list item by name, and by index */
    assert_int_equal(wsi_ydoc_set(&doc, "racks.r2.p=7", &err), WS_OK);
    assert_string_equal(at(at(doc.root, "racks")->vals[1], "p")->str, "7");
    assert_int_equal(wsi_ydoc_set(&doc, "racks[0].p=9", &err), WS_OK);
    assert_string_equal(at(at(doc.root, "racks")->vals[0], "p")->str, "9");
    /* missing keys are created; a flow value is parsed as YAML */
    assert_int_equal(wsi_ydoc_set(&doc, "new.deep={k: [1, 2]}", &err), WS_OK);
    const wsi_ynode *k = at(at(at(doc.root, "new"), "deep"), "k");
    assert_int_equal(k->kind, WSI_Y_SEQ);
    assert_int_equal(k->n, 2);
    /* a plain value is verbatim text, '=' and all */
    assert_int_equal(wsi_ydoc_set(&doc, "txt=a=b # c", &err), WS_OK);
    assert_string_equal(at(doc.root, "txt")->str, "a=b # c");
    /* refusals name the override */
    assert_int_equal(wsi_ydoc_set(&doc, "racks.r9.p=1", &err),
                     WS_ERR_SCENARIO);
    err_has(&err, "no list item named 'r9'");
    assert_string_equal(err.file, "--set racks.r9.p=1");
    assert_int_equal(wsi_ydoc_set(&doc, "a.b.c=1", &err), WS_ERR_SCENARIO);
    err_has(&err, "it has no key 'c'");
    assert_int_equal(wsi_ydoc_set(&doc, "novalue", &err), WS_ERR_SCENARIO);
    err_has(&err, "expected key.path=value");
    assert_int_equal(wsi_ydoc_set(&doc, "a..b=1", &err), WS_ERR_SCENARIO);
    err_has(&err, "empty component");
    wsi_ydoc_free(&doc);
}

static void test_refusals(void **st)
{
    (void)st;
    wsi_ydoc doc;
    ws_error err;
    /* duplicate keys, located at the second, naming the first */
    assert_int_equal(load(&doc, "d.yaml", "a: 1\nb: 2\na: 3\n", &err),
                     WS_ERR_SCENARIO);
    err_has(&err, "duplicate key 'a' (first at line 1)");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 1);
    wsi_ydoc_free(&doc);
    /* a key that is a map */
    assert_int_equal(load(&doc, "k.yaml", "? {a: 1}\n: 2\n", &err),
                     WS_ERR_SCENARIO);
    err_has(&err, "a key must be a plain name, not a map");
    wsi_ydoc_free(&doc);
    /* nesting deeper than the limit */
    char deep[512] = "";
    for (int i = 0; i < WSI_YAML_MAX_DEPTH + 1; i++)
        strcat(deep, "[");
    assert_int_equal(load(&doc, "deep.yaml", deep, &err), WS_ERR_RANGE);
    wsi_ydoc_free(&doc);
    /* a scalar above the limit */
    size_t n = WSI_YAML_MAX_SCALAR + 10;
    char *big = malloc(n + 8);
    assert_non_null(big);
    memcpy(big, "a: ", 3);
    memset(big + 3, 'x', n);
    big[n + 3] = '\0';
    assert_int_equal(load(&doc, "big.yaml", big, &err), WS_ERR_RANGE);
    free(big);
    wsi_ydoc_free(&doc);
    /* syntax errors are located */
    assert_int_equal(load(&doc, "syn.yaml", "a: [1, 2\nb: 3\n", &err),
                     WS_ERR_SCENARIO);
    assert_true(err.line >= 1);
    wsi_ydoc_free(&doc);
    /* an unknown alias */
    assert_int_equal(load(&doc, "al.yaml", "a: *nope\n", &err),
                     WS_ERR_SCENARIO);
    wsi_ydoc_free(&doc);
    /* an empty file is refused, not read as an empty map */
    assert_int_equal(load(&doc, "empty.yaml", "", &err), WS_ERR_SCENARIO);
    err_has(&err, "the scenario is empty");
    wsi_ydoc_free(&doc);
}

int main(void)
{
    ws_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_anchors_and_merges),
        cmocka_unit_test(test_includes),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
