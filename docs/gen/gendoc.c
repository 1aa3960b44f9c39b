/* docs/gen/gendoc.c - the key tables of docs/SCENARIO.md, generated from
 * the schemas the loader validates with (base/schema.h).
 *
 *   wattsim-gendoc FILE           rewrite FILE's tables in place
 *   wattsim-gendoc --check FILE   exit 1 if FILE's tables are not what the
 *                                 schemas give (CI: test_docs)
 *
 * In FILE, a table stands between
 *     <!-- keys: NAME -->   and   <!-- /keys -->
 * where NAME is a schema's name: "top", "time", "facility", "site",
 * "racks", ..., "kind: stats" (a power model), "facility model pue" (a
 * cooling model). Every schema must have its table, and every marker a
 * schema: a key added to the code without its doc fails the check.
 * `make docs` runs the rewrite.
 *
 * Copyright (C) 2026 the wattsim authors. GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "scenario/load_int.h"

#define MAX_SCHEMAS 64

static const wsi_schema *all[MAX_SCHEMAS];
static int used[MAX_SCHEMAS];
static size_t n_all;

static void collect(void)
{
    for (size_t i = 0; wsi_scenario_schemas[i] && n_all < MAX_SCHEMAS; i++)
        all[n_all++] = wsi_scenario_schemas[i];
    for (size_t i = 0; wsi_power_model_at(i) && n_all < MAX_SCHEMAS; i++)
        all[n_all++] = wsi_power_model_at(i)->params;
    for (size_t i = 0; wsi_cooling_model_at(i) && n_all < MAX_SCHEMAS; i++)
        all[n_all++] = wsi_cooling_model_at(i)->params;
}

static int find(const char *name, size_t n)
{
    for (size_t i = 0; i < n_all; i++)
        if (strlen(all[i]->name) == n && strncmp(all[i]->name, name, n) == 0)
            return (int)i;
    return -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t got;
    while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    return b;
}

int main(int argc, char **argv)
{
    int check = argc == 3 && strcmp(argv[1], "--check") == 0;
    if (argc != 2 && !check) {
        fprintf(stderr, "usage: wattsim-gendoc [--check] docs/SCENARIO.md\n");
        return 2;
    }
    const char *path = argv[argc - 1];
    ws_global_init();
    collect();
    char *in = slurp(path);
    if (!in) {
        fprintf(stderr, "wattsim-gendoc: cannot read %s\n", path);
        return 2;
    }
    static const char open_tag[] = "<!-- keys: ", close_tag[] = "<!-- /keys -->";
    wsi_sb out;
    wsi_sb_init(&out);
    const char *p = in;
    int bad = 0;
    for (;;) {
        const char *o = strstr(p, open_tag);
        if (!o) {
            wsi_sb_add(&out, p);
            break;
        }
        const char *name = o + strlen(open_tag);
        const char *end = strstr(name, " -->");
        const char *c = end ? strstr(end, close_tag) : NULL;
        if (!end || !c) {
            fprintf(stderr, "wattsim-gendoc: %s: unclosed '%s'\n", path,
                    open_tag);
            return 2;
        }
        int k = find(name, (size_t)(end - name));
        if (k < 0) {
            fprintf(stderr, "wattsim-gendoc: %s: no schema named '%.*s'\n",
                    path, (int)(end - name), name);
            return 2;
        }
        used[k] = 1;
        /* the marker line, the table, the closing marker */
        wsi_sb_addn(&out, p, (size_t)(end + 4 - p));
        wsi_sb_add(&out, "\n");
        wsi_schema_markdown(all[k], &out);
        wsi_sb_add(&out, close_tag);
        p = c + strlen(close_tag);
    }
    for (size_t i = 0; i < n_all; i++)
        if (!used[i]) {
            fprintf(stderr, "wattsim-gendoc: %s has no table for the keys "
                    "of '%s': add <!-- keys: %s --><!-- /keys --> where "
                    "they belong\n", path, all[i]->name, all[i]->name);
            bad = 1;
        }
    char *text = wsi_sb_take(&out);
    if (!text) {
        fprintf(stderr, "wattsim-gendoc: out of memory\n");
        return 2;
    }
    if (check) {
        if (strcmp(text, in) != 0) {
            fprintf(stderr, "wattsim-gendoc: %s is not what the schemas "
                    "give: run `make docs` and commit the result\n", path);
            bad = 1;
        }
    } else if (strcmp(text, in) != 0) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        FILE *f = fopen(tmp, "wb");
        if (!f || fputs(text, f) == EOF || fclose(f) != 0 ||
            rename(tmp, path) != 0) {
            fprintf(stderr, "wattsim-gendoc: cannot write %s\n", path);
            return 2;
        }
        printf("wattsim-gendoc: %s updated\n", path);
    }
    free(text);
    free(in);
    return bad;
}
